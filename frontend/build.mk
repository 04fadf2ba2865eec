# frontend/build.mk - command line, machine set-up and the main loop. main.c
# holds main() and is linked only into jet86; the rest goes to libjet86.a.
LIB_SRCS += $(filter-out frontend/main.c,$(wildcard frontend/*.c))
