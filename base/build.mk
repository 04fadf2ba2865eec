# base/build.mk - the bottom layer: shared utilities (errors, logging,
# allocation), the virtual clock with its timers and the x87's 80-bit
# arithmetic (float80*.c). Every other part may include base/; base/
# includes nothing of the project outside itself.
LIB_SRCS += $(wildcard base/*.c)
