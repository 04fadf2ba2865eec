# translator/build.mk - decoder, translator, IR, optimizer, block cache and
# the backends: interp.c (and any shared backend file) always, the native
# x86_64*.c files only when configured for them (config.mk).
LIB_SRCS += $(wildcard translator/*.c)
LIB_SRCS += $(filter-out translator/backend/x86_64%,$(wildcard translator/backend/*.c))
ifeq ($(CONFIG_BACKEND_X86_64),1)
LIB_SRCS += $(wildcard translator/backend/x86_64*.c)
endif
