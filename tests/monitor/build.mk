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

.PHONY: check-monitor
check-monitor: $(JET86) $(MONITOR_OUT)/monguest.elf
	tests/monitor/run.sh --emu "$(TEST_RUNNER) $(abspath $(JET86))" \
		--guest $(MONITOR_OUT)/monguest.elf

CHECK_TARGETS += check-monitor
