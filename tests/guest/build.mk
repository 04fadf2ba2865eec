# Guest test programs (tests/guest/) and the demo guest: bare-metal 32-bit
# Multiboot kernels built with nasm and gcc -m32, run under jet86 by
# `make check-guest` and under qemu-system-i386 by `make check-guest-qemu`.
# Every program NAME has tests/guest/NAME.c and/or tests/guest/NAME.asm and
# an expected COM1 output tests/guest/NAME.expected.

GUEST_DIR := tests/guest
GUEST_OUT := $(or $(BUILD),build)/tests/guest
GUEST_NASM ?= nasm
GUEST_CC ?= gcc
GUEST_LD ?= ld
GUEST_CFLAGS := -m32 -march=i686 -std=gnu11 -ffreestanding -fno-pic -fno-pie -nostdlib -O2 \
	-fno-stack-protector -fno-asynchronous-unwind-tables -fcf-protection=none \
	-mgeneral-regs-only -Wall -Wextra -Werror -I$(GUEST_DIR) -MMD -MP
GUEST_LDFLAGS := -m elf_i386 -nostdlib -T $(GUEST_DIR)/rt/link.ld --no-warn-rwx-segments
GUEST_QEMU ?= qemu-system-i386
GUEST_BACKENDS ?= all
# seconds per program: randseq takes ~6 s of CPU natively and ~20 s under
# qemu-aarch64-static, several times that in wall time on a loaded machine
GUEST_TIMEOUT ?= $(if $(TEST_RUNNER),600,300)

# NAME.bin.asm is a flat-binary kernel (nasm -f bin, the a.out kludge);
# every other program is an ELF linked with the runtime in rt/.
GUEST_NAMES := $(sort $(basename $(notdir $(wildcard $(GUEST_DIR)/*.expected))))
GUEST_BIN_NAMES := $(patsubst $(GUEST_DIR)/%.bin.asm,%,$(wildcard $(GUEST_DIR)/*.bin.asm))
GUEST_ELF_NAMES := $(filter-out $(GUEST_BIN_NAMES),$(GUEST_NAMES))
GUEST_ELFS := $(GUEST_ELF_NAMES:%=$(GUEST_OUT)/%.elf) $(GUEST_BIN_NAMES:%=$(GUEST_OUT)/%.bin)
GUEST_RT_OBJS := $(GUEST_OUT)/rt/entry.asm.o $(GUEST_OUT)/rt/rt.c.o

$(GUEST_OUT)/%.c.o: $(GUEST_DIR)/%.c $(GUEST_DIR)/rt/rt.h
	@mkdir -p $(dir $@)
	$(GUEST_CC) $(GUEST_CFLAGS) -c $< -o $@

# The x87 programs use the FPU through asm, which -mgeneral-regs-only
# refuses; they have no float C code for the compiler to put there.
GUEST_X87_CFLAGS := $(filter-out -mgeneral-regs-only,$(GUEST_CFLAGS)) -mno-sse -mno-mmx
$(GUEST_OUT)/x87.c.o $(GUEST_OUT)/x87_ferr.c.o $(GUEST_OUT)/x87_irq13.c.o \
$(GUEST_OUT)/x87_reset.c.o $(GUEST_OUT)/x87_seglimit.c.o $(GUEST_OUT)/x87_pfptr.c.o: GUEST_CFLAGS := $(GUEST_X87_CFLAGS)

$(GUEST_OUT)/%.bin: $(GUEST_DIR)/%.bin.asm
	@mkdir -p $(dir $@)
	$(GUEST_NASM) -f bin -o $@ $<

$(GUEST_OUT)/%.asm.o: $(GUEST_DIR)/%.asm
	@mkdir -p $(dir $@)
	$(GUEST_NASM) -f elf32 -I$(GUEST_DIR)/ -o $@ $<

# A program's objects: NAME.c.o and/or NAME.asm.o, whichever sources exist.
define guest_prog_rule
$(GUEST_OUT)/$(1).elf: $(GUEST_RT_OBJS) $(patsubst $(GUEST_DIR)/%,$(GUEST_OUT)/%.o,$(wildcard $(GUEST_DIR)/$(1).c $(GUEST_DIR)/$(1).asm)) $(GUEST_DIR)/rt/link.ld
	@mkdir -p $$(dir $$@)
	$(GUEST_LD) $(GUEST_LDFLAGS) -o $$@ $(GUEST_RT_OBJS) $(patsubst $(GUEST_DIR)/%,$(GUEST_OUT)/%.o,$(wildcard $(GUEST_DIR)/$(1).c $(GUEST_DIR)/$(1).asm))
endef
$(foreach p,$(GUEST_ELF_NAMES) demo/demo,$(eval $(call guest_prog_rule,$(p))))

# The demo guest lives beside its source so README's command can name it.
$(GUEST_DIR)/demo/demo.elf: $(GUEST_OUT)/demo/demo.elf
	cp $< $@

.PHONY: guest-progs demo-guest check-guest check-guest-qemu check-guest-host
guest-progs: $(GUEST_ELFS)
demo-guest: $(GUEST_DIR)/demo/demo.elf

check-guest: guest-progs $(JET86)
	$(GUEST_DIR)/run.sh --emu "$(TEST_RUNNER) $(abspath $(JET86))" --backend "$(GUEST_BACKENDS)" \
		--timeout $(GUEST_TIMEOUT) --dir $(GUEST_OUT)

check-guest-qemu: guest-progs
	$(GUEST_DIR)/run.sh --emu "$(GUEST_QEMU)" --timeout $(GUEST_TIMEOUT) --dir $(GUEST_OUT)

# The unprivileged programs also run natively on the build machine's CPU: a
# second reference for their expected output.  As 32-bit programs where the
# host runs them (scripts/host32.sh), else as 64-bit ones where their code
# allows; hostcheck.sh names what it skipped.
check-guest-host:
	$(GUEST_DIR)/hostcheck.sh --dir $(GUEST_OUT)/host

include $(GUEST_DIR)/rom.mk

-include $(wildcard $(GUEST_OUT)/*.d $(GUEST_OUT)/*/*.d)

CHECK_TARGETS += check-guest
CHECK_QEMU_TARGETS += check-guest-qemu check-guest-host
CLEAN_FILES += $(GUEST_OUT) $(GUEST_DIR)/demo/demo.elf

# The images the ide program uses (-hda under -snapshot, -cdrom): a 4 MiB
# disk with markers in sectors 0, 100 and 8191 (the last), and a 64-block
# "CD" with "CD001" at block 16.
GUEST_IMAGES := $(GUEST_OUT)/ide-disk.img $(GUEST_OUT)/ide-cd.img
$(GUEST_OUT)/ide-disk.img:
	@mkdir -p $(dir $@)
	dd if=/dev/zero of=$@.tmp bs=512 count=8192 status=none
	printf MBR0 | dd of=$@.tmp bs=512 seek=0 conv=notrunc status=none
	printf S100 | dd of=$@.tmp bs=512 seek=100 conv=notrunc status=none
	printf LAST | dd of=$@.tmp bs=512 seek=8191 conv=notrunc status=none
	mv $@.tmp $@
$(GUEST_OUT)/ide-cd.img:
	@mkdir -p $(dir $@)
	dd if=/dev/zero of=$@.tmp bs=2048 count=64 status=none
	printf CD001 | dd of=$@.tmp bs=2048 seek=16 conv=notrunc status=none
	mv $@.tmp $@
# The floppy and dma programs' diskette (-fda under -snapshot): 1.44M,
# "Sxxx" at the start of sectors 0, 1, 36, 52, 53, 54 and 2879 (LBA).
GUEST_IMAGES += $(GUEST_OUT)/floppy.img
$(GUEST_OUT)/floppy.img:
	@mkdir -p $(dir $@)
	dd if=/dev/zero of=$@.tmp bs=512 count=2880 status=none
	for s in 0 1 36 52 53 54 2879; do \
		printf S%03d $$s | dd of=$@.tmp bs=512 seek=$$s conv=notrunc status=none; \
	done
	mv $@.tmp $@
guest-progs: $(GUEST_IMAGES)
