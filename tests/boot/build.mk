# tests/boot/build.mk - real software booted headless on COM1 (run.sh):
# a Debian i386 Linux kernel with a busybox initramfs through -kernel, the
# same through ISOLINUX on a CD and through GRUB 2 on a hard disk, and
# memtest86+ until its first pass ends. Their media come from Debian's
# packages (tests/boot/prepare.sh and prepare-media.sh), never committed.
# `make check-boot` runs them under jet86 in deterministic mode (-icount):
# linux on every backend, the others on the native backends only (part of
# make check); `make check-boot-qemu` runs them under qemu-system-i386
# (part of make check-qemu). JET86_GUEST_CACHE moves the cache from
# build/guests; BOOT_CASES picks cases ("linux isolinux grub memtest seabios vesafb bochsdrm").
BOOT_BACKENDS ?= all
BOOT_CASES ?= linux isolinux grub memtest seabios vesafb bochsdrm
# Each case has its own time limit (run.sh); BOOT_TIMEOUT, when set,
# replaces them all: under qemu-aarch64-static everything is several
# times slower.
BOOT_TIMEOUT ?= $(if $(TEST_RUNNER),3000)
BOOT_CACHE ?= $(or $(JET86_GUEST_CACHE),$(or $(BUILD),build)/guests)

.PHONY: check-boot check-boot-qemu
check-boot: $(JET86)
	tests/boot/run.sh --emu jet86 --cmd "$(TEST_RUNNER) $(abspath $(JET86))" \
		--backend "$(BOOT_BACKENDS)" --cache "$(BOOT_CACHE)" --cases "$(BOOT_CASES)" \
		$(if $(BOOT_TIMEOUT),--timeout $(BOOT_TIMEOUT))

check-boot-qemu:
	tests/boot/run.sh --emu qemu --cache "$(BOOT_CACHE)" --cases "$(BOOT_CASES)" \
		$(if $(BOOT_TIMEOUT),--timeout $(BOOT_TIMEOUT))

CHECK_TARGETS += check-boot
CHECK_QEMU_TARGETS += check-boot-qemu

# GRUB's graphical menu (tests/boot/gfxterm.sh): its screens against
# QEMU's, pixel for pixel (pngdiff.c, libpng), and the arrow keys.
$(BUILD)/tests/boot/pngdiff: tests/boot/pngdiff.c config.mk
	@mkdir -p $(dir $@)
	$(call quiet,LINK,$@)$(CC) $(CFLAGS) $(PNG_CFLAGS) $(LDFLAGS) -o $@ $< $(PNG_LIBS)

.PHONY: check-gfxterm
check-gfxterm: $(JET86) $(BUILD)/tests/boot/pngdiff
	tests/boot/gfxterm.sh --emu "$(TEST_RUNNER) $(abspath $(JET86))" \
		--pngdiff "$(TEST_RUNNER) $(abspath $(BUILD)/tests/boot/pngdiff)" \
		--cache "$(BOOT_CACHE)"

CHECK_TARGETS += check-gfxterm
