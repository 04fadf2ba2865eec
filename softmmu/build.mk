# softmmu/build.mk - guest physical memory map, soft TLB and access slow paths.
LIB_SRCS += $(wildcard softmmu/*.c)
