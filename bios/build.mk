# bios/build.mk - the built-in firmware (host-side C and its ROM stubs).
LIB_SRCS += $(wildcard bios/*.c)
