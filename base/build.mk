# base/build.mk - the bottom layer: shared utilities (errors, logging,
# allocation) and the virtual clock with its timers. Every other part may
# include base/; base/ includes nothing of the project outside itself.
LIB_SRCS += $(wildcard base/*.c)
