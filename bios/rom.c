/*
 * rom.c - builds the 64 KiB BIOS ROM image in C, byte by byte, so no x86
 * assembler is needed on the build host (which may be aarch64).
 *
 * The image holds:
 *   F000:FFF0  the reset vector: JMP FAR F000:E05B
 *   F000:E05B  the boot stub, 16-bit real mode:
 *                CLI, CLD; DS=SS=0, SP=0x7000
 *                if the boot parameters (rom.h) carry no kernel: STI,
 *                INT 19h (boot from a disk), INT 18h if that returns
 *                if they say the kernel was booted already, the guest
 *                jumped to the reset vector to reboot (as Linux does when
 *                no reset register answers): reset the machine with a
 *                triple fault (LIDT of an empty IVT, INT3), so the board
 *                resets and the POST runs again
 *                mark the parameters used (BOOT_PARAMS_DONE_MAGIC)
 *                LGDT (a flat GDT in this ROM), CR0.PE=1,
 *                JMP FAR 0x08:pm32 (32-bit flat code)
 *              pm32, 32-bit protected mode:
 *                DS=ES=FS=GS=SS=0x10 (flat data), ESP=0x7000
 *                EAX=0x2BADB002, EBX=Multiboot info, JMP entry
 *              a Linux kernel (linux.c) takes the same road with a GDT
 *              of its own: the boot protocol wants CS=__BOOT_CS (0x10)
 *              and DS=ES=SS=__BOOT_DS (0x18), ESI=the zero page and
 *              EBP=EDI=EBX=0 (Documentation/x86/boot.rst, 32-bit boot
 *              protocol)
 *   F000:E800  one stub per BIOS service (emit_stub), trapping into
 *              bios/bios.c through BIOS_TRAP_PORT; F000:FF53 the IRET
 *              of every other vector; the halt loop, the INT 15h AH=C0h
 *              configuration table and the diskette parameter table
 * so every Multiboot boot goes through real mode, LGDT, MOV CR0, a far JMP and
 * protected-mode segment loads, like a real firmware hand-off.
 *
 * Each instruction is emitted by a small helper named after it; the
 * encodings are those of the SDM volume 2 opcode tables.
 */
#include "bios/rom.h"

#include "bios/bios.h"

#include <string.h>

#include "bios/font.h"
#include "bios/video.h"

#include "base/util.h"
#include "softmmu/ldst.h"

/* Selectors of the ROM's GDT. */
#define ROM_SEL_CODE32 0x08
#define ROM_SEL_DATA32 0x10
/* ... and of its Linux GDT: boot.rst's __BOOT_CS and __BOOT_DS. */
#define ROM_SEL_LINUX_CODE 0x10
#define ROM_SEL_LINUX_DATA 0x18
#define ROM_STACK_TOP 0x7000u

/* 16-bit general registers / segment registers by their ModRM numbers. */
enum { RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI };
enum { SREG_ES, SREG_CS, SREG_SS, SREG_DS, SREG_FS, SREG_GS };

struct rom_asm {
    uint8_t *rom;
    uint32_t pos; /* offset in the ROM (= offset in segment F000) */
};

static void emit8(struct rom_asm *a, uint8_t b)
{
    J_ASSERT(a->pos < BIOS_ROM_SIZE);
    a->rom[a->pos++] = b;
}

static void emit16(struct rom_asm *a, uint16_t v)
{
    emit8(a, (uint8_t)v);
    emit8(a, (uint8_t)(v >> 8));
}

static void emit32(struct rom_asm *a, uint32_t v)
{
    emit16(a, (uint16_t)v);
    emit16(a, (uint16_t)(v >> 16));
}

static uint8_t modrm(int mod, int reg, int rm)
{
    return (uint8_t)((mod << 6) | (reg << 3) | rm);
}

/* ---- instructions (the operand size is the current code's default
 * unless a helper says it adds the 0x66 prefix) ---- */

static void op_cli(struct rom_asm *a) { emit8(a, 0xfa); }
static void op_cld(struct rom_asm *a) { emit8(a, 0xfc); }
static void op_hlt(struct rom_asm *a) { emit8(a, 0xf4); }

/* XOR r, r (31 /r): zero a register. */
static void op_xor_rr(struct rom_asm *a, int r)
{
    emit8(a, 0x31);
    emit8(a, modrm(3, r, r));
}

/* MOV r16, imm16 (B8+r iw) in 16-bit code. */
static void op_mov_r16_imm(struct rom_asm *a, int r, uint16_t imm)
{
    emit8(a, (uint8_t)(0xb8 + r));
    emit16(a, imm);
}

/* MOV r32, imm32 (B8+r id) in 32-bit code. */
static void op_mov_r32_imm(struct rom_asm *a, int r, uint32_t imm)
{
    emit8(a, (uint8_t)(0xb8 + r));
    emit32(a, imm);
}

/* MOV Sreg, r16 (8E /r). */
static void op_mov_sreg(struct rom_asm *a, int sreg, int r)
{
    emit8(a, 0x8e);
    emit8(a, modrm(3, sreg, r));
}

/* MOV AX, imm16 in 32-bit code: operand-size prefix 66, B8 iw. */
static void op_mov_ax_imm16_in32(struct rom_asm *a, uint16_t imm)
{
    emit8(a, 0x66);
    op_mov_r16_imm(a, RAX, imm);
}

/* CMP DWORD [disp16], imm32 in 16-bit code: 66 81 /7 with mod=00 rm=110. */
static void op_cmp_m32_imm_16(struct rom_asm *a, uint16_t disp, uint32_t imm)
{
    emit8(a, 0x66);
    emit8(a, 0x81);
    emit8(a, modrm(0, 7, 6));
    emit16(a, disp);
    emit32(a, imm);
}

/* LGDT [CS:disp16] with a 32-bit base: 2E 66 0F 01 /2, mod=00 rm=110. */
static void op_lgdt_cs_16(struct rom_asm *a, uint16_t disp)
{
    emit8(a, 0x2e);
    emit8(a, 0x66);
    emit8(a, 0x0f);
    emit8(a, 0x01);
    emit8(a, modrm(0, 2, 6));
    emit16(a, disp);
}

/* LIDT [CS:disp16]: 2E 0F 01 /3, mod=00 rm=110. */
static void op_lidt_cs_16(struct rom_asm *a, uint16_t disp)
{
    emit8(a, 0x2e);
    emit8(a, 0x0f);
    emit8(a, 0x01);
    emit8(a, modrm(0, 3, 6));
    emit16(a, disp);
}

/* MOV DWORD [disp16], imm32 in 16-bit code: 66 C7 /0, mod=00 rm=110. */
static void op_mov_m32_imm_16(struct rom_asm *a, uint16_t disp, uint32_t imm)
{
    emit8(a, 0x66);
    emit8(a, 0xc7);
    emit8(a, modrm(0, 0, 6));
    emit16(a, disp);
    emit32(a, imm);
}

/* INT3 (CC). */
static void op_int3(struct rom_asm *a) { emit8(a, 0xcc); }

/* MOV EAX, CR0 (0F 20 /r) and MOV CR0, EAX (0F 22 /r): always 32-bit. */
static void op_mov_eax_cr0(struct rom_asm *a)
{
    emit8(a, 0x0f);
    emit8(a, 0x20);
    emit8(a, modrm(3, 0, RAX));
}

static void op_mov_cr0_eax(struct rom_asm *a)
{
    emit8(a, 0x0f);
    emit8(a, 0x22);
    emit8(a, modrm(3, 0, RAX));
}

/* OR AL, imm8 (0C ib). */
static void op_or_al_imm(struct rom_asm *a, uint8_t imm)
{
    emit8(a, 0x0c);
    emit8(a, imm);
}

/* ---- the service stubs' instructions (16-bit code) ---- */

static void op_sti(struct rom_asm *a) { emit8(a, 0xfb); }
static void op_iret(struct rom_asm *a) { emit8(a, 0xcf); }
static void op_push_bp(struct rom_asm *a) { emit8(a, 0x55); }
static void op_pop_bp(struct rom_asm *a) { emit8(a, 0x5d); }

/* INT imm8 (CD ib). */
static void op_int(struct rom_asm *a, uint8_t vec)
{
    emit8(a, 0xcd);
    emit8(a, vec);
}

/* PUSH imm8 (6A ib, sign-extended to a word). */
static void op_push_imm8(struct rom_asm *a, uint8_t v)
{
    emit8(a, 0x6a);
    emit8(a, v);
}

/* OUT imm8, AL (E6 ib). */
static void op_out_imm_al(struct rom_asm *a, uint8_t port)
{
    emit8(a, 0xe6);
    emit8(a, port);
}

/* ADD SP, imm8 (83 /0 ib). */
static void op_add_sp_imm8(struct rom_asm *a, uint8_t v)
{
    emit8(a, 0x83);
    emit8(a, modrm(3, 0, RSP));
    emit8(a, v);
}

/* TEST BP, BP (85 /r). */
static void op_test_bp_bp(struct rom_asm *a)
{
    emit8(a, 0x85);
    emit8(a, modrm(3, RBP, RBP));
}

/* Short jumps: opcode + rel8 to a target already known or patched later. */
enum { JCC_JZ = 0x74, JCC_JNZ = 0x75, JMP_SHORT = 0xeb };

static void op_jmp8_back(struct rom_asm *a, uint8_t opcode, uint32_t target)
{
    int32_t rel = (int32_t)target - (int32_t)(a->pos + 2);
    J_ASSERT(rel >= -128 && rel <= 127);
    emit8(a, opcode);
    emit8(a, (uint8_t)(int8_t)rel);
}

/* Forward jump: returns the position of the rel8 byte for patch_rel8. */
static uint32_t op_jmp8_fwd(struct rom_asm *a, uint8_t opcode)
{
    emit8(a, opcode);
    emit8(a, 0);
    return a->pos - 1;
}

static void patch_rel8(struct rom_asm *a, uint32_t at, uint32_t target)
{
    int32_t rel = (int32_t)target - (int32_t)(at + 1);
    J_ASSERT(rel >= -128 && rel <= 127);
    a->rom[at] = (uint8_t)(int8_t)rel;
}

/* JMP FAR ptr16:16 (EA iw iw) in 16-bit code. */
static void op_jmp_far16(struct rom_asm *a, uint16_t sel, uint16_t off)
{
    emit8(a, 0xea);
    emit16(a, off);
    emit16(a, sel);
}

/* JMP FAR ptr16:32 from 16-bit code: 66 EA id iw. Returns the position of
 * the offset for patching. */
static uint32_t op_jmp_far32_from16(struct rom_asm *a, uint16_t sel)
{
    emit8(a, 0x66);
    emit8(a, 0xea);
    uint32_t at = a->pos;
    emit32(a, 0);
    emit16(a, sel);
    return at;
}

/* MOV r32, [disp32] in 32-bit code: 8B /r with mod=00 rm=101. */
static void op_mov_r32_mem32(struct rom_asm *a, int r, uint32_t addr)
{
    emit8(a, 0x8b);
    emit8(a, modrm(0, r, 5));
    emit32(a, addr);
}

/* JMP r32 (FF /4). */
static void op_jmp_r32(struct rom_asm *a, int r)
{
    emit8(a, 0xff);
    emit8(a, modrm(3, 4, r));
}

static void align(struct rom_asm *a, uint32_t n)
{
    while (a->pos % n)
        emit8(a, 0x90);
}

/* A segment descriptor (SDM 3A 3.4.5): base, 20-bit limit, access byte
 * (P DPL S type) and flags nibble (G D/B L AVL). */
static void emit_descriptor(struct rom_asm *a, uint32_t base, uint32_t limit,
                            uint8_t access, uint8_t flags)
{
    emit16(a, (uint16_t)limit);
    emit16(a, (uint16_t)base);
    emit8(a, (uint8_t)(base >> 16));
    emit8(a, access);
    emit8(a, (uint8_t)((flags << 4) | ((limit >> 16) & 0xf)));
    emit8(a, (uint8_t)(base >> 24));
}

/*
 * One service's stub (bios/bios.c describes the trap):
 *   again: PUSH BP; PUSH svc; OUT BIOS_TRAP_PORT, AL
 *          ADD SP, 2; TEST BP, BP; POP BP    ; BP: the status the host set
 *          JNZ wait
 *          [INT 1Ch]                         ; the timer's stub only
 *          IRET
 *   wait:  STI; HLT; JMP again                ; BIOS_STATUS_WAIT
 * The trap's OUT is a helper that may write every register (helpers.def),
 * so what the host changes is what the next instruction sees, on every
 * backend. ADD and TEST change flags the IRET restores from the frame.
 */
static void emit_stub(struct rom_asm *a, enum bios_service svc)
{
    a->pos = BIOS_STUB_BASE + svc * BIOS_STUB_SIZE;
    uint32_t again = a->pos;
    op_push_bp(a);
    op_push_imm8(a, (uint8_t)svc);
    op_out_imm_al(a, BIOS_TRAP_PORT);
    op_add_sp_imm8(a, 2);
    op_test_bp_bp(a);
    op_pop_bp(a);
    uint32_t to_wait = op_jmp8_fwd(a, JCC_JNZ);
    if (svc == BIOS_SVC_IRQ0)
        op_int(a, 0x1c); /* the user timer hook, as the PC/AT BIOS */
    op_iret(a);
    patch_rel8(a, to_wait, a->pos);
    op_sti(a);
    op_hlt(a);
    op_jmp8_back(a, JMP_SHORT, again);
    J_ASSERT(a->pos <= BIOS_STUB_BASE + (svc + 1) * BIOS_STUB_SIZE);
}

/* The stubs, the default IRET, the halt loop, and the tables services
 * point at. */
static void emit_services(struct rom_asm *a)
{
    for (int s = 0; s < BIOS_SVC_COUNT; s++)
        emit_stub(a, (enum bios_service)s);

    a->pos = BIOS_IRET_OFFSET;
    op_iret(a);

    a->pos = BIOS_HALT_OFFSET;
    op_cli(a);
    op_hlt(a);
    op_jmp8_back(a, JMP_SHORT, BIOS_HALT_OFFSET);

    /* INT 15h AH=C0h's system configuration table (Ralf Brown's list):
     * length 8, model FCh (AT), submodel 0, revision 0, feature byte 1
     * 70h (second 8259, RTC, INT 15h AH=4Fh called by IRQ1), 2-5 zero. */
    static const uint8_t config[] = { 8, 0, 0xfc, 0, 0, 0x70, 0, 0, 0, 0 };
    a->pos = BIOS_CONFIG_TABLE_OFFSET;
    for (unsigned i = 0; i < sizeof(config); i++)
        emit8(a, config[i]);

    /* The diskette parameter table at F000:EFC7 (IBM PC/AT technical
     * reference): step rate/head unload, head load/DMA, motor off, 512
     * bytes, 18 sectors, gap, data length, format gap, fill, head settle,
     * motor start. */
    static const uint8_t dpt[] = { 0xaf, 0x02, 0x25, 0x02, 0x12, 0x1b,
                                   0xff, 0x6c, 0xf6, 0x0f, 0x08 };
    a->pos = BIOS_DPT_OFFSET;
    for (unsigned i = 0; i < sizeof(dpt); i++)
        emit8(a, dpt[i]);
}

/* The video BIOS's data (rom.h): the fonts, and INT 10h AH=1Bh's static
 * functionality table (IBM VGA technical reference, "Return
 * Functionality/State Information"): modes 00h-07h, 0Dh-13h; 200, 350
 * and 400 scan lines in text modes; 8 character blocks, 2 active; all
 * of the miscellaneous functions (palettes, DAC, cursor emulation, 64
 * colours, character sets, light pen none); the save area's pointers. */
static void emit_video_data(struct rom_asm *a)
{
    memcpy(a->rom + BIOS_FONT8X16_OFFSET, bios_font_8x16,
           sizeof(bios_font_8x16));
    memcpy(a->rom + BIOS_FONT8X14_OFFSET, bios_font_8x14,
           sizeof(bios_font_8x14));
    memcpy(a->rom + BIOS_FONT8X8_OFFSET, bios_font_8x8,
           sizeof(bios_font_8x8));
    static const uint8_t functionality[16] = {
        0xff, 0xe0, 0x0f, 0, 0, 0, 0, 0x07, 0x08, 0x02, 0xfd, 0x0e,
        0, 0, 0x3f, 0,
    };
    memcpy(a->rom + BIOS_VIDEO_STATIC_OFFSET, functionality,
           sizeof(functionality));
    a->rom[BIOS_VIDEO_ALT_OFFSET] = 0;
    video_vbe_pm_build(a->rom);
}

/* Load every data segment register with sel (in 32-bit code). */
static void emit_load_data_segs(struct rom_asm *a, uint16_t sel)
{
    op_mov_ax_imm16_in32(a, sel);
    op_mov_sreg(a, SREG_DS, RAX);
    op_mov_sreg(a, SREG_ES, RAX);
    op_mov_sreg(a, SREG_FS, RAX);
    op_mov_sreg(a, SREG_GS, RAX);
    op_mov_sreg(a, SREG_SS, RAX);
    op_mov_r32_imm(a, RSP, ROM_STACK_TOP);
}

/* The GDT entries 0x08 (or 0x10) up: flat 4 GiB 32-bit code, then data
 * (accessed bits preset: the CPU never needs to write this read-only
 * copy). */
static void emit_flat_descriptors(struct rom_asm *a)
{
    emit_descriptor(a, 0, 0xfffff, 0x9b,
                    0xc); /* code: P, S, exec/read, accessed; G, D */
    emit_descriptor(a, 0, 0xfffff, 0x93,
                    0xc); /* data: P, S, read/write, accessed; G, B */
}

/* Real mode, a Linux kernel loaded: to protected mode with the Linux GDT
 * (the position of its GDTR's disp16 returned in *gdtr_ref, to patch),
 * then the 32-bit boot protocol's entry state. */
static void emit_linux_boot(struct rom_asm *a, uint32_t *gdtr_ref)
{
    op_mov_m32_imm_16(a, BOOT_PARAMS_ADDR + BOOT_PARAMS_OFF_MAGIC,
                      BOOT_PARAMS_DONE_MAGIC);
    *gdtr_ref = a->pos + 5;
    op_lgdt_cs_16(a, 0);
    op_mov_eax_cr0(a);
    op_or_al_imm(a, 0x01); /* CR0.PE */
    op_mov_cr0_eax(a);
    uint32_t pm_ref = op_jmp_far32_from16(a, ROM_SEL_LINUX_CODE);
    stl_le_p(a->rom + pm_ref, BIOS_ROM_BASE + a->pos);
    emit_load_data_segs(a, ROM_SEL_LINUX_DATA);
    op_mov_r32_mem32(a, RCX, BOOT_PARAMS_ADDR + BOOT_PARAMS_OFF_ENTRY);
    op_mov_r32_mem32(a, RSI, BOOT_PARAMS_ADDR + BOOT_PARAMS_OFF_ZERO_PAGE);
    op_xor_rr(a, RAX);
    op_xor_rr(a, RBX);
    op_xor_rr(a, RBP);
    op_xor_rr(a, RDI);
    op_jmp_r32(a, RCX);
}

void bios_rom_build(uint8_t *rom)
{
    struct rom_asm a = { .rom = rom, .pos = 0 };
    static const char ident[] = "jet86 BIOS";

    /* Unused ROM reads as 0xFF, like an erased flash part. */
    memset(rom, 0xff, BIOS_ROM_SIZE);
    memcpy(rom, ident, sizeof(ident));

    /* ---- the boot stub, real mode ---- */
    a.pos = BIOS_ENTRY_OFFSET;
    op_cli(&a);
    op_cld(&a);
    op_xor_rr(&a, RAX);
    op_mov_sreg(&a, SREG_DS, RAX);
    op_mov_sreg(&a, SREG_SS, RAX);
    op_mov_r16_imm(&a, RSP, (uint16_t)ROM_STACK_TOP);
    op_cmp_m32_imm_16(&a, BOOT_PARAMS_ADDR + BOOT_PARAMS_OFF_MAGIC,
                      BOOT_PARAMS_MAGIC);
    uint32_t to_boot = op_jmp8_fwd(&a, JCC_JZ);
    op_cmp_m32_imm_16(&a, BOOT_PARAMS_ADDR + BOOT_PARAMS_OFF_MAGIC,
                      BOOT_PARAMS_LINUX_MAGIC);
    uint32_t to_linux = op_jmp8_fwd(&a, JCC_JZ);
    op_cmp_m32_imm_16(&a, BOOT_PARAMS_ADDR + BOOT_PARAMS_OFF_MAGIC,
                      BOOT_PARAMS_DONE_MAGIC);
    uint32_t not_again = op_jmp8_fwd(&a, JCC_JNZ);
    /* SDM 3A 20.1.4: a vector beyond the IVT limit raises #GP, which is
     * beyond it too: double fault, then shutdown. */
    uint32_t idtr_ref = a.pos + 4; /* disp16 of the LIDT */
    op_lidt_cs_16(&a, 0);
    op_int3(&a);
    patch_rel8(&a, not_again, a.pos);

    /* no kernel: the bootstrap loader (bios/boot.c), with interrupts
     * enabled as the BIOS leaves them (the POST programmed the PIC) */
    op_sti(&a);
    op_int(&a, 0x19);
    op_int(&a, 0x18); /* INT 19h returns only if nothing booted */

    patch_rel8(&a, to_boot, a.pos);
    op_mov_m32_imm_16(&a, BOOT_PARAMS_ADDR + BOOT_PARAMS_OFF_MAGIC,
                      BOOT_PARAMS_DONE_MAGIC);
    uint32_t gdtr_ref = a.pos + 5; /* disp16 of the LGDT */
    op_lgdt_cs_16(&a, 0);
    op_mov_eax_cr0(&a);
    op_or_al_imm(&a, 0x01); /* CR0.PE */
    op_mov_cr0_eax(&a);
    uint32_t pm_ref = op_jmp_far32_from16(&a, ROM_SEL_CODE32);

    /* ---- 32-bit protected mode, flat segments ---- */
    uint32_t pm32 = a.pos;
    emit_load_data_segs(&a, ROM_SEL_DATA32);
    op_mov_r32_mem32(&a, RCX, BOOT_PARAMS_ADDR + BOOT_PARAMS_OFF_ENTRY);
    op_mov_r32_mem32(&a, RBX, BOOT_PARAMS_ADDR + BOOT_PARAMS_OFF_MBI);
    op_mov_r32_imm(&a, RAX, MULTIBOOT_BOOT_EAX);
    op_jmp_r32(&a, RCX);

    patch_rel8(&a, to_linux, a.pos);
    uint32_t linux_gdtr_ref;
    emit_linux_boot(&a, &linux_gdtr_ref);

    /* ---- data: the GDTs, their GDTR images, an empty IDTR ---- */
    align(&a, 8);
    uint32_t gdt = a.pos;
    emit_descriptor(&a, 0, 0, 0, 0);
    emit_flat_descriptors(&a); /* 0x08 code, 0x10 data */
    uint32_t gdt_size = a.pos - gdt;
    uint32_t gdtr = a.pos;
    emit16(&a, (uint16_t)(gdt_size - 1));
    emit32(&a, BIOS_ROM_BASE + gdt);
    align(&a, 8);
    uint32_t linux_gdt = a.pos;
    emit_descriptor(&a, 0, 0, 0, 0);
    emit_descriptor(&a, 0, 0, 0, 0);
    emit_flat_descriptors(&a); /* 0x10 __BOOT_CS, 0x18 __BOOT_DS */
    uint32_t linux_gdtr = a.pos;
    emit16(&a, (uint16_t)(a.pos - linux_gdt - 1));
    emit32(&a, BIOS_ROM_BASE + linux_gdt);
    uint32_t empty_idtr = a.pos; /* limit 0, base 0: no vector fits */
    emit16(&a, 0);
    emit32(&a, 0);
    J_ASSERT(a.pos <= BIOS_CONFIG_TABLE_OFFSET);

    stw_le_p(rom + gdtr_ref, (uint16_t)gdtr);
    stw_le_p(rom + linux_gdtr_ref, (uint16_t)linux_gdtr);
    stw_le_p(rom + idtr_ref, (uint16_t)empty_idtr);
    stl_le_p(rom + pm_ref, BIOS_ROM_BASE + pm32);

    emit_services(&a);
    emit_video_data(&a);

    /* ---- the reset vector (SDM 3A 9.1.4: first fetch at 0xFFFFFFF0) ---- */
    a.pos = 0xfff0;
    op_jmp_far16(&a, 0xf000, BIOS_ENTRY_OFFSET);
    /* Release date at F000:FFF5 and the model byte at F000:FFFE (0xFC: AT),
     * where PC software looks for them. */
    a.pos = 0xfff5;
    for (const char *s = "11/26/26"; *s; s++)
        emit8(&a, (uint8_t)*s);
    a.pos = 0xfffe;
    emit8(&a, 0xfc);
}
