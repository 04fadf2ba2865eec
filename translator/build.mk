# translator/build.mk - decoder, translator, IR, optimizer, block cache and
# the backends: interp.c always, x86_64.c when configured (config.mk).
LIB_SRCS += $(wildcard translator/*.c) $(wildcard translator/backend/interp.c)
ifeq ($(CONFIG_BACKEND_X86_64),1)
LIB_SRCS += translator/backend/x86_64.c translator/backend/x86_64_enc.c
endif
