# tests/firmware/build.mk - raw firmware images (NAME.asm, nasm -f bin) run
# with -bios: `make check-firmware` under jet86 on every backend (part of
# make check), `make check-firmware-qemu` under qemu-system-i386 (part of
# make check-qemu), `make check-bochs` (check-firmware-bochs, with the
# guest programs' ROM build) under Bochs. Each prints on the debug console
# what NAME.expected holds.
FW_DIR := tests/firmware
FW_OUT := $(or $(BUILD),build)/tests/firmware
FW_NAMES := $(sort $(basename $(notdir $(wildcard $(FW_DIR)/*.expected))))
FW_ROMS := $(FW_NAMES:%=$(FW_OUT)/%.rom)

$(FW_OUT)/%.rom: $(FW_DIR)/%.asm
	@mkdir -p $(dir $@)
	$(call quiet,NASM,$@)nasm -f bin -o $@ $<

.PHONY: firmware-images check-firmware check-firmware-qemu check-firmware-bochs check-bochs
firmware-images: $(FW_ROMS)

check-firmware: $(JET86) $(FW_ROMS)
	@$(FW_DIR)/run.sh --emu jet86 --cmd "$(TEST_RUNNER) ./$(JET86)" \
		--dir $(FW_OUT) $(if $(TEST_RUNNER),--timeout 300)

check-firmware-qemu: $(FW_ROMS)
	@$(FW_DIR)/run.sh --emu qemu --dir $(FW_OUT)

check-firmware-bochs: $(FW_ROMS)
	@$(FW_DIR)/run.sh --emu bochs --dir $(FW_OUT)

# with the ROM build of the guest programs (tests/guest/rom.mk)
check-bochs: check-firmware-bochs

CHECK_TARGETS += check-firmware
CHECK_QEMU_TARGETS += check-firmware-qemu
