# tests/decoder/build.mk - the decoder's differential test against Capstone:
# decoder_vs_capstone decodes 1,000,000 random byte strings in 16-bit and
# 1,000,000 in 32-bit mode with translator/x86/decode.c and with Capstone (via
# translator/disas.c) and fails on any length disagreement that
# tests/decoder/capstone_known.c does not explain; for the integer
# instructions it also compares every operand with Capstone's details.
# `make check-decoder`;
# run the binary with -s SEED for another set of cases, -v to list every
# disagreement class.
DECODER_TEST := $(BUILD)/tests/decoder/decoder_vs_capstone
DECODER_TEST_OBJS := $(BUILD)/tests/decoder/decoder_vs_capstone.o \
	$(BUILD)/tests/decoder/capstone_known.o

$(BUILD)/tests/decoder/%.o: tests/decoder/%.c config.h config.mk
	@mkdir -p $(dir $@)
	$(call quiet,CC,$<)$(CC) $(ALL_CFLAGS) -c $< -o $@

$(DECODER_TEST): $(DECODER_TEST_OBJS) $(LIBJET86)
	$(call quiet,LINK,$@)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(DECODER_TEST_OBJS) $(LIBJET86) $(JET86_LIBS)

.PHONY: check-decoder
check-decoder: $(DECODER_TEST)
	$(TEST_RUNNER) ./$(DECODER_TEST)

CHECK_TARGETS += check-decoder
CLEAN_FILES += $(DECODER_TEST) $(DECODER_TEST_OBJS)

-include $(DECODER_TEST_OBJS:%.o=%.d)
