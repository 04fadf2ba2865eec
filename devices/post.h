/*
 * post.h - the POST diagnostic port 0x80: firmware writes its progress
 * codes there (shown on a POST card); -d post logs them.
 */
#ifndef DEVICES_POST_H
#define DEVICES_POST_H

#include "devices/device.h"

/* "isa-post": port 0x80. */
extern const struct device_class post_device_class;
/* The last code written (0 after reset). */
uint8_t post_last_code(struct device *dev);

#endif
