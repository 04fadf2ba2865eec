# devices/build.mk - the emulated PC devices, one a file.
LIB_SRCS += $(wildcard devices/*.c)
