# tests/display/screenref.mk - reference screens: screenref.sh boots the
# screenref guest (text, mode 13h, mode X, VBE 32 bpp), takes a monitor
# screendump of each and compares it pixel for pixel with the PNGs QEMU
# drew of the same guest (tests/display/screenref/, remade by
# `make screenref-qemu`, which make check does not run). Headless
# (-display none) and under Xvfb with -display sdl; part of
# `make check-display`.

SCREENREF_GUEST := $(BUILD)/tests/display/screenref.elf
SCREENREF_PNGCHECK := $(BUILD)/tests/monitor/pngcheck

$(BUILD)/tests/display/screenref.c.o: tests/display/screenref.c tests/guest/rt/rt.h
	@mkdir -p $(dir $@)
	$(call quiet,GUESTCC,$<)$(GUEST_CC) $(GUEST_CFLAGS) -c $< -o $@

$(SCREENREF_GUEST): $(BUILD)/tests/display/screenref.c.o $(BUILD)/tests/guest/rt/entry.asm.o \
		$(BUILD)/tests/guest/rt/rt.c.o tests/guest/rt/link.ld
	$(call quiet,GUESTLD,$@)$(GUEST_LD) $(GUEST_LDFLAGS) -o $@ \
		$(BUILD)/tests/guest/rt/entry.asm.o $(BUILD)/tests/guest/rt/rt.c.o $<

.PHONY: check-screenref screenref-qemu
check-screenref: $(JET86) $(SCREENREF_GUEST) $(SCREENREF_PNGCHECK)
	JET86_HAVE_SDL=$(HAVE_SDL) tests/display/screenref.sh --emu "$(TEST_RUNNER) $(abspath $(JET86))" \
		--guest $(SCREENREF_GUEST) --pngcheck "$(TEST_RUNNER) $(abspath $(SCREENREF_PNGCHECK))"

# The references, from qemu-system-i386 -vga std (not part of make check).
screenref-qemu: $(SCREENREF_GUEST) $(SCREENREF_PNGCHECK)
	tests/display/screenref.sh --make-references --guest $(SCREENREF_GUEST) \
		--pngcheck $(abspath $(SCREENREF_PNGCHECK))

check-display: check-screenref
