# tests/monitor/build.mk - the monitor driven from a script
# (tests/monitor/run.sh) against a guest that leaves known things to look
# at (monguest.c, built like the guest programs); `make check-monitor`,
# part of `make check`.
MONITOR_OUT := $(GUEST_OUT)/monitor

$(MONITOR_OUT)/monguest.c.o: tests/monitor/monguest.c $(GUEST_DIR)/rt/rt.h $(GUEST_DIR)/rt/paging.h
	@mkdir -p $(dir $@)
	$(GUEST_CC) $(GUEST_CFLAGS) -c $< -o $@

$(MONITOR_OUT)/monguest.elf: $(GUEST_RT_OBJS) $(MONITOR_OUT)/monguest.c.o $(GUEST_DIR)/rt/link.ld
	@mkdir -p $(dir $@)
	$(GUEST_LD) $(GUEST_LDFLAGS) -o $@ $(GUEST_RT_OBJS) $(MONITOR_OUT)/monguest.c.o

# A host program reading screendump's PNG back through libpng.
$(BUILD)/tests/monitor/pngcheck: tests/monitor/pngcheck.c config.mk
	@mkdir -p $(dir $@)
	$(call quiet,LINK,$@)$(CC) $(CFLAGS) $(PNG_CFLAGS) $(LDFLAGS) -o $@ $< $(PNG_LIBS)

.PHONY: check-monitor
check-monitor: $(JET86) $(MONITOR_OUT)/monguest.elf $(BUILD)/tests/monitor/pngcheck
	tests/monitor/run.sh --emu "$(TEST_RUNNER) $(abspath $(JET86))" \
		--guest $(MONITOR_OUT)/monguest.elf \
		--pngcheck "$(TEST_RUNNER) $(abspath $(BUILD)/tests/monitor/pngcheck)"

CHECK_TARGETS += check-monitor
