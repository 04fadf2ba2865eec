/*
 * aml.h - a small encoder of ACPI Machine Language (ACPI 6.4, chapter 20,
 * "ACPI Machine Language Specification"): the firmware writes its DSDT
 * (bios/acpi_dsdt.c) through these calls into a growing byte buffer.
 *
 * Terms are written in prefix order as the grammar has them: an opcode,
 * then its operands. Constructs with a PkgLength (Scope, Device, Method,
 * Package, Buffer, If, Else, Field) are opened by a *_begin call and
 * closed by aml_end, which inserts the PkgLength once the body's size is
 * known. Resource templates (ACPI 6.4, 6.4 "Resource Data Types") are
 * built in struct aml_res and emitted as a Buffer with the end tag.
 */
#ifndef BIOS_AML_H
#define BIOS_AML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AML_MAX_DEPTH 16

struct aml {
    uint8_t *data;
    size_t len, cap;
    int depth;
    size_t open[AML_MAX_DEPTH]; /* where each open construct's body starts */
};

/* Opcodes written directly by the callers (ACPI 6.4, 20.3). */
enum {
    AML_ZERO = 0x00, AML_ONE = 0x01, AML_ONES = 0xff,
    AML_NAME = 0x08, AML_RETURN = 0xa4,
    AML_STORE = 0x70, AML_ADD = 0x72, AML_SUBTRACT = 0x74,
    AML_SHIFT_LEFT = 0x79, AML_SHIFT_RIGHT = 0x7a,
    AML_AND = 0x7b, AML_OR = 0x7d,
    AML_FIND_SET_RIGHT_BIT = 0x82,
    AML_CREATE_DWORD_FIELD = 0x8a, AML_CREATE_WORD_FIELD = 0x8b,
    AML_LAND = 0x90, AML_LNOT = 0x92, AML_LEQUAL = 0x93,
    AML_LOCAL0 = 0x60, AML_ARG0 = 0x68,
    AML_NULL_NAME = 0x00, /* an omitted Target */
};

/* Operation region spaces and field flags (20.2.5.2). */
enum { AML_SPACE_MEMORY = 0, AML_SPACE_IO = 1, AML_SPACE_PCI_CONFIG = 2 };
enum {
    AML_FIELD_ANY_ACC = 0, AML_FIELD_BYTE_ACC = 1, AML_FIELD_WORD_ACC = 2,
    AML_FIELD_DWORD_ACC = 3,
    AML_FIELD_LOCK = 0x10,
    AML_FIELD_PRESERVE = 0x00, AML_FIELD_WRITE_ONES = 0x20,
    AML_FIELD_WRITE_ZEROS = 0x40,
};

void aml_init(struct aml *a);
void aml_free(struct aml *a);

void aml_byte(struct aml *a, uint8_t v);
void aml_bytes(struct aml *a, const void *p, size_t n);
/* A NameString: "\\_SB.PCI0", "^LNKA", "_S5" (segments shorter than four
 * characters are padded with '_'). Returns false for a malformed path
 * (nothing written). */
bool aml_name_string(struct aml *a, const char *path);
/* The shortest integer encoding: ZeroOp, OneOp, Byte/Word/DWord/QWord. */
void aml_integer(struct aml *a, uint64_t v);
void aml_string(struct aml *a, const char *s);
/* EISAID("PNP0A03") as an integer: the compressed 32-bit EISA ID. */
uint32_t aml_eisaid_value(const char *id);
void aml_eisaid(struct aml *a, const char *id);

/* Name(name, ...): the caller writes the object after it. */
void aml_name(struct aml *a, const char *name);
/* OperationRegion(name, space, offset, len). */
void aml_opregion(struct aml *a, const char *name, uint8_t space,
                  uint32_t offset, uint32_t len);

void aml_scope_begin(struct aml *a, const char *name);
void aml_device_begin(struct aml *a, const char *name);
void aml_method_begin(struct aml *a, const char *name, int nargs,
                      bool serialized);
void aml_package_begin(struct aml *a, uint8_t n_elements);
/* If (predicate) { ... }: write the predicate, then the body, aml_end. */
void aml_if_begin(struct aml *a);
void aml_else_begin(struct aml *a);
/* Field(region, flags) { name, bits ... }: aml_field_unit for each. */
void aml_field_begin(struct aml *a, const char *region, uint8_t flags);
void aml_field_unit(struct aml *a, const char *name, uint32_t bits);
/* Close the innermost construct: its PkgLength goes in front of it. */
void aml_end(struct aml *a);

/* Buffer(n) { bytes }. */
void aml_buffer(struct aml *a, const void *p, size_t n);

/* ---- resource templates ---- */
struct aml_res {
    uint8_t b[512];
    size_t n;
};
void aml_res_io(struct aml_res *r, uint16_t min, uint16_t max, uint8_t align,
                uint8_t len);
void aml_res_irq_noflags(struct aml_res *r, uint16_t mask);
void aml_res_dma(struct aml_res *r, uint8_t mask, uint8_t flags);
void aml_res_mem32_fixed(struct aml_res *r, bool writable, uint32_t base,
                         uint32_t len);
void aml_res_word_bus(struct aml_res *r, uint16_t min, uint16_t max);
void aml_res_word_io(struct aml_res *r, uint16_t min, uint16_t max);
void aml_res_dword_mem(struct aml_res *r, uint32_t min, uint32_t max);
/* Interrupt(ResourceConsumer, ...): flags bit 1 edge, 2 active low,
 * 3 shared (6.4.3.6). */
void aml_res_ext_irq(struct aml_res *r, uint8_t flags, const uint32_t *irqs,
                     int n);
/* ResourceTemplate() { ... }: a Buffer of the descriptors and the end
 * tag. */
void aml_resource_template(struct aml *a, const struct aml_res *r);

#endif
