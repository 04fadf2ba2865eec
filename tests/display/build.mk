# tests/display/build.mk - the -display sdl window under Xvfb: run.sh runs
# jet86 -display sdl with the kbdvga guest, types and moves the mouse with
# xdotool, and checks what the guest got and what the window shows;
# window.sh, with a window manager, full screen, scaling, the grab and
# the wheel (and the wheel's bytes under QEMU, the reference).
# `make check-display` (part of `make check`); it skips itself, saying so,
# where jet86 has no SDL or Xvfb/xdotool are missing.

DISPLAY_GUEST := $(BUILD)/tests/display/kbdvga.elf

$(BUILD)/tests/display/kbdvga.c.o: tests/display/kbdvga.c tests/guest/rt/rt.h
	@mkdir -p $(dir $@)
	$(call quiet,GUESTCC,$<)$(GUEST_CC) $(GUEST_CFLAGS) -c $< -o $@

$(DISPLAY_GUEST): $(BUILD)/tests/display/kbdvga.c.o $(BUILD)/tests/guest/rt/entry.asm.o \
		$(BUILD)/tests/guest/rt/rt.c.o tests/guest/rt/link.ld
	$(call quiet,GUESTLD,$@)$(GUEST_LD) $(GUEST_LDFLAGS) -o $@ \
		$(BUILD)/tests/guest/rt/entry.asm.o $(BUILD)/tests/guest/rt/rt.c.o $<

# Reads the monitor console's text back from a screenshot, with the
# font the console draws with (libjet86's bios/font_data.c).
CONREAD := $(BUILD)/tests/display/conread
$(CONREAD): tests/display/conread.c $(LIBJET86) config.mk
	@mkdir -p $(dir $@)
	$(call quiet,LINK,$@)$(CC) -I. $(CFLAGS) $(PNG_CFLAGS) $(LDFLAGS) -o $@ $< $(LIBJET86) $(PNG_LIBS)

.PHONY: check-display
check-display: $(JET86) $(DISPLAY_GUEST) $(CONREAD)
	JET86_HAVE_SDL=$(HAVE_SDL) tests/display/run.sh --emu ./$(JET86) --guest $(DISPLAY_GUEST) \
		--conread $(CONREAD)
	JET86_HAVE_SDL=$(HAVE_SDL) tests/display/window.sh --emu ./$(JET86) --guest $(DISPLAY_GUEST)

CHECK_TARGETS += check-display
include tests/display/screenref.mk
