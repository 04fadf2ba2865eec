# tests/seabios/build.mk - Debian's SeaBIOS booted with -bios (fw_cfg, the
# i440FX as QEMU's, the PIIX IDE): `make check-seabios` under jet86 on
# every backend (part of make check; skipped when the seabios package is
# missing), `make check-seabios-qemu` the same under qemu-system-i386
# (part of make check-qemu). See run.sh.
SEABIOS_OUT := $(or $(BUILD),build)/tests/seabios

.PHONY: check-seabios check-seabios-qemu
check-seabios: $(JET86)
	@tests/seabios/run.sh --emu jet86 --cmd "$(TEST_RUNNER) ./$(JET86)" \
		--dir $(SEABIOS_OUT) $(if $(TEST_RUNNER),--timeout 300)

check-seabios-qemu:
	@tests/seabios/run.sh --emu qemu --dir $(SEABIOS_OUT)-qemu

# Not part of make check (a minute or more): the Linux guest of
# tests/boot (make check-boot) booted by SeaBIOS through fw_cfg.
.PHONY: check-boot-seabios
check-boot-seabios: $(JET86)
	@tests/boot/run.sh --emu jet86 \
		--cmd "$(TEST_RUNNER) ./$(JET86) -bios /usr/share/seabios/bios.bin"

CHECK_TARGETS += check-seabios
CHECK_QEMU_TARGETS += check-seabios-qemu
