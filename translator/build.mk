# translator/build.mk - the translation engine (IR, optimizer, block cache,
# disassembly, the backends) and, in translator/x86/, the x86 model
# (decoder, translation to IR, helpers, lazy flags, segmentation,
# interrupts, tasks, the CPU loop). The backends: interp.c (and any shared
# backend file) always, the native x86_64*.c files only when configured
# for them (config.mk).
LIB_SRCS += $(wildcard translator/*.c) $(wildcard translator/x86/*.c)
LIB_SRCS += $(filter-out translator/backend/x86_64%,$(wildcard translator/backend/*.c))
ifeq ($(CONFIG_BACKEND_X86_64),1)
LIB_SRCS += $(wildcard translator/backend/x86_64*.c)
endif
# A function defined without a prior prototype is an error here: a helper
# must see its prototype made from helpers.def (translator/x86/helpers.h).
$(BUILD)/translator/%.o: CFLAGS += -Wmissing-prototypes
