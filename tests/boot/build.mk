# tests/boot/build.mk - real software: a Debian i386 Linux kernel with a
# busybox initramfs (tests/boot/prepare.sh fetches and builds it, never
# committed), booted headless on COM1 through the Linux boot protocol.
# `make check-boot` runs it under jet86 on every backend in deterministic
# mode (-icount) and checks the lines of tests/boot/linux.expected (part of
# make check); `make check-boot-qemu` runs the same under qemu-system-i386
# (part of make check-qemu). JET86_GUEST_CACHE moves the cache from
# build/guests.
BOOT_BACKENDS ?= all
# seconds per boot: about 20 s on the x86_64 backend and 65 s on interp
# natively; several times that under qemu-aarch64-static or a loaded host
BOOT_TIMEOUT ?= $(if $(TEST_RUNNER),3000,900)
BOOT_CACHE ?= $(or $(JET86_GUEST_CACHE),$(or $(BUILD),build)/guests)

.PHONY: check-boot check-boot-qemu
check-boot: $(JET86)
	tests/boot/run.sh --emu jet86 --cmd "$(TEST_RUNNER) $(abspath $(JET86))" \
		--backend "$(BOOT_BACKENDS)" --cache "$(BOOT_CACHE)" --timeout $(BOOT_TIMEOUT)

check-boot-qemu:
	tests/boot/run.sh --emu qemu --cache "$(BOOT_CACHE)" --timeout $(BOOT_TIMEOUT)

CHECK_TARGETS += check-boot
CHECK_QEMU_TARGETS += check-boot-qemu
