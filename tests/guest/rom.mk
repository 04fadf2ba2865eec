# tests/guest/rom.mk - the ROM build of the guest test programs, included by
# tests/guest/build.mk: each NAME.elf also becomes a raw firmware image
# NAME.rom (objcopy -O binary, then rt/rom_entry.asm puts the reset stub at
# its end) that runs under `jet86 -bios` (`make check-guest-rom`, every
# backend, part of make check), under `qemu-system-i386 -bios` (`make
# check-guest-rom-qemu`, part of make check-qemu) and under Bochs 2.7
# (`make check-bochs`, with the firmware images of tests/firmware). Every NAME.expected joins,
# except where NAME.norom says why it cannot (README.md, "The ROM build").

GUEST_OBJCOPY ?= objcopy
GUEST_NM ?= nm
GUEST_ROM_OUT := $(GUEST_OUT)/rom
GUEST_NOROM := $(basename $(notdir $(wildcard $(GUEST_DIR)/*.norom)))
GUEST_ROM_NAMES := $(filter-out $(GUEST_NOROM),$(GUEST_ELF_NAMES))
GUEST_ROMS := $(GUEST_ROM_NAMES:%=$(GUEST_ROM_OUT)/%.rom)
# Bochs takes about a second per program; a program that takes minutes
# carries NAME.nobochs, so the timeout only catches a hang.
GUEST_BOCHS_TIMEOUT ?= 120

$(GUEST_ROM_OUT)/%.img: $(GUEST_OUT)/%.elf
	@mkdir -p $(dir $@)
	$(GUEST_OBJCOPY) -O binary $< $@

# The image: the program, the stub's 4 KiB and the reset vector, rounded up
# to a multiple of 64 KiB; load address and entry from the ELF's symbols.
$(GUEST_ROM_OUT)/%.rom: $(GUEST_ROM_OUT)/%.img $(GUEST_OUT)/%.elf $(GUEST_DIR)/rt/rom_entry.asm
	size=$$(wc -c < $<); \
	rom=$$(( (size + 4096 + 16 + 65535) / 65536 * 65536 )); \
	load=$$($(GUEST_NM) $(word 2,$^) | awk '$$3 == "__image_start" { print $$1 }'); \
	entry=$$($(GUEST_NM) $(word 2,$^) | awk '$$3 == "_start" { print $$1 }'); \
	$(GUEST_NASM) -f bin -DPROG='"$<"' -DROMSIZE=$$rom -DLOAD=0x$$load \
		-DENTRY=0x$$entry -o $@ $(GUEST_DIR)/rt/rom_entry.asm

.PHONY: guest-roms check-guest-rom check-guest-rom-qemu check-guest-bochs
guest-roms: $(GUEST_ROMS)

check-guest-rom: guest-roms $(JET86)
	$(GUEST_DIR)/romrun.sh --emu jet86 --cmd "$(TEST_RUNNER) $(abspath $(JET86))" \
		--backend "$(GUEST_BACKENDS)" --timeout $(GUEST_TIMEOUT) --dir $(GUEST_ROM_OUT)

check-guest-rom-qemu: guest-roms
	$(GUEST_DIR)/romrun.sh --emu qemu --cmd "$(GUEST_QEMU)" --timeout $(GUEST_TIMEOUT) --dir $(GUEST_ROM_OUT)

check-guest-bochs: guest-roms
	$(GUEST_DIR)/romrun.sh --emu bochs --timeout $(GUEST_BOCHS_TIMEOUT) --dir $(GUEST_ROM_OUT)

check-bochs: check-guest-bochs

CHECK_TARGETS += check-guest-rom
CHECK_QEMU_TARGETS += check-guest-rom-qemu
