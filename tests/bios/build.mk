# tests/bios/build.mk - boot-sector programs on disk, floppy and CD images
# (NAME.asm, nasm -f bin, starting with boot.inc) booted through the BIOS:
# `make check-bios` under jet86 on every backend (part of make check),
# `make check-bios-qemu` under qemu-system-i386 and SeaBIOS (part of make
# check-qemu). Each prints on the debug console what NAME.expected holds.
BIOS_DIR := tests/bios
BIOS_OUT := $(or $(BUILD),build)/tests/bios
BIOS_NAMES := $(sort $(basename $(notdir $(wildcard $(BIOS_DIR)/*.expected))))
BIOS_IMGS := $(BIOS_NAMES:%=$(BIOS_OUT)/%.img)
BIOS_INCS := $(BIOS_DIR)/boot.inc $(BIOS_DIR)/lib.inc

$(BIOS_OUT)/%.img: $(BIOS_DIR)/%.asm $(BIOS_INCS)
	@mkdir -p $(dir $@)
	$(call quiet,NASM,$@)nasm -I $(BIOS_DIR)/ -f bin -o $@ $<

# isolinux: a CD made by xorriso with Debian's ISOLINUX, which chain-loads
# the program (mkiso.sh)
$(BIOS_OUT)/isolinux.img: $(BIOS_DIR)/isolinux.asm $(BIOS_INCS) $(BIOS_DIR)/mkiso.sh
	@mkdir -p $(dir $@)
	$(call quiet,NASM,$@.bs)nasm -I $(BIOS_DIR)/ -f bin -o $@.bs $<
	$(call quiet,XORRISO,$@)$(BIOS_DIR)/mkiso.sh $@ $@.bs

.PHONY: bios-images check-bios check-bios-qemu
bios-images: $(BIOS_IMGS)

check-bios: $(JET86) $(BIOS_IMGS)
	@$(BIOS_DIR)/run.sh --emu jet86 --cmd "$(TEST_RUNNER) ./$(JET86)" \
		--dir $(BIOS_OUT) $(if $(TEST_RUNNER),--timeout 300)

check-bios-qemu: $(BIOS_IMGS)
	@$(BIOS_DIR)/run.sh --emu qemu --dir $(BIOS_OUT)

CHECK_TARGETS += check-bios
CHECK_QEMU_TARGETS += check-bios-qemu
