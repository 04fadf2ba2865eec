/* seglimit: segment limit and type checks on data accesses in protected
 * mode (SDM 3A 5.3 limit checking, 5.4 type checking, 3.4.5.1 expand-down
 * segments; SDM 2, MOV and the string instructions: #GP(0), #SS(0)).
 * Each line runs one access through seglimit.asm's seg_run and prints
 * "ok" or the vector and error code of the fault:
 * - expand-up, byte granular (limit 0xfff) and page granular (limit 0,
 *   G=1: 0xfff): the last byte and dword inside pass, one byte beyond
 *   faults, a dword that straddles the limit faults;
 * - expand-down with B=1 (valid 0x1000..0xffffffff) and B=0 (valid
 *   0x1000..0xffff): the lowest valid offset passes, the limit itself
 *   faults, a dword straddling either end faults, a 16-bit address wraps
 *   before the check;
 * - read-only data: reads pass; a store, a read-modify-write and XCHG
 *   fault; a readable code segment in DS reads and cannot be written; an
 *   execute-only CS cannot be read through a CS override (a readable one
 *   can);
 * - null selectors load and fault on use (#GP(0)), including ES of STOS;
 * - the accessed bit of the descriptor is set by the load;
 * - SS: an EBP-based access and a POP beyond the limit are #SS(0);
 * - string instructions at the limit: REP STOSB and REP MOVSD fault at
 *   the first element beyond it with ECX/EDI counting the elements done,
 *   LODSW straddling it faults with ESI unchanged, REP STOSD going down
 *   in an expand-down segment stops at its limit.
 * QEMU's TCG checks no data segment limits nor types of DS..GS (only the
 *   far transfers' and the stack's in its helpers): seglimit.qemu-expected
 *   holds its output, where those accesses pass; seglimit.expected is the
 *   SDM's. */
#include "rt/rt.h"

void seg_run(void (*body)(void), uint32_t ebx, uint32_t ecx);
extern char seg_resume[];
extern uint32_t after_ecx, after_esi, after_edi;

#define BODY(n) void n(void)
BODY(rd8_up); BODY(rd32_up); BODY(rd32_page); BODY(rd32_down32); BODY(rd32_down16);
BODY(rd16_down16); BODY(rd32_a16_down16); BODY(rd_ro); BODY(wr_ro); BODY(rmw_ro);
BODY(movzx_ro); BODY(xchg_ro); BODY(rd_code_ds); BODY(wr_code_ds); BODY(rd_cs_xo);
BODY(rd_cs); BODY(null_ds); BODY(null_fs_wr); BODY(null_es_stos); BODY(null_gs_load_only);
BODY(load_acc); BODY(ss_ebp); BODY(ss_pop); BODY(ss_ok); BODY(rep_stosb_up);
BODY(rep_movsd_up); BODY(lodsw_up); BODY(rep_stosd_down);

static volatile uint32_t fault_vec, fault_err, faults;

static void on_fault(struct rt_frame *f)
{
    fault_vec = f->vec;
    fault_err = f->err;
    faults++;
    f->eip = (uint32_t)seg_resume;
    f->cs = 0x08;
}

static void run(const char *what, void (*body)(void), uint32_t ebx, uint32_t ecx)
{
    uint32_t before = faults;
    seg_run(body, ebx, ecx);
    if (faults == before)
        rt_printf("%s: ok\n", what);
    else
        rt_printf("%s: vector %u err %x\n", what, fault_vec, fault_err);
}

/* The GDT entry of selector sel, through SGDT. */
static volatile uint8_t *gdt_entry(uint32_t sel)
{
    struct __attribute__((packed)) {
        uint16_t limit;
        uint32_t base;
    } g;
    __asm__ volatile("sgdt %0" : "=m"(g));
    return (volatile uint8_t *)(g.base + (sel & ~7u));
}

int main(void)
{
    rt_gdt_set(9, 0x500000, 0xfff, 0x93, 0x4);
    rt_gdt_set(10, 0x500000, 0, 0x93, 0xc);
    rt_gdt_set(11, 0x500000, 0xfff, 0x97, 0x4);
    rt_gdt_set(12, 0x500000, 0xfff, 0x97, 0x0);
    rt_gdt_set(13, 0x500000, 0xfff, 0x91, 0x4);
    rt_gdt_set(14, 0x500000, 0xfff, 0x92, 0x4);
    rt_gdt_set(15, 0, 0x501, 0x93, 0xc); /* limit 0x501fff */
    rt_gdt_reload();
    rt_set_handler(12, on_fault);
    rt_set_handler(13, on_fault);
    memset((void *)0x4f0000, 0, 0x20000);

    run("expand-up byte 0xfff", rd8_up, 0xfff, 0);
    run("expand-up dword 0xffc", rd32_up, 0xffc, 0);
    run("expand-up dword 0xffd", rd32_up, 0xffd, 0);
    run("expand-up byte 0x1000", rd8_up, 0x1000, 0);
    run("expand-up dword 0xfffffffe", rd32_up, 0xfffffffe, 0);
    run("page granular dword 0xffc", rd32_page, 0xffc, 0);
    run("page granular dword 0xffd", rd32_page, 0xffd, 0);
    run("expand-down B=1 dword 0x1000", rd32_down32, 0x1000, 0);
    run("expand-down B=1 dword 0xfff", rd32_down32, 0xfff, 0);
    run("expand-down B=1 dword 0xffe", rd32_down32, 0xffe, 0);
    run("expand-down B=1 dword 0xfffffffc", rd32_down32, 0xfffffffc, 0);
    run("expand-down B=1 dword 0xfffffffe", rd32_down32, 0xfffffffe, 0);
    run("expand-down B=0 dword 0xfffc", rd32_down16, 0xfffc, 0);
    run("expand-down B=0 word 0xfffe", rd16_down16, 0xfffe, 0);
    run("expand-down B=0 dword 0xfffe", rd32_down16, 0xfffe, 0);
    run("expand-down B=0 dword 0x10000", rd32_down16, 0x10000, 0);
    run("expand-down B=0 dword 0x1000", rd32_down16, 0x1000, 0);
    run("expand-down B=0 a16 bx+0x10 (bx 0xfff8)", rd32_a16_down16, 0xfff8, 0);
    run("expand-down B=0 a16 bx+0x10 (bx 0xffe0)", rd32_a16_down16, 0xffe0, 0);

    run("read-only read", rd_ro, 0x10, 0);
    run("read-only write", wr_ro, 0x10, 0);
    run("read-only add", rmw_ro, 0x10, 0);
    run("read-only movzx", movzx_ro, 0x10, 0);
    run("read-only xchg", xchg_ro, 0x10, 0);
    run("code segment in ds: read", rd_code_ds, 0x4f0000, 0);
    run("code segment in ds: write", wr_code_ds, 0x4f0000, 0);
    run("cs override, execute/read code", rd_cs, 0x4f0000, 0);
    run("cs override, execute-only code", rd_cs_xo, 0x4f0000, 0);

    run("null ds read", null_ds, 0x4f0000, 0);
    run("null fs (rpl 3) write", null_fs_wr, 0x4f0000, 0);
    run("null es stosb", null_es_stos, 0x4f0000, 0);
    run("null gs load only", null_gs_load_only, 0, 0);
    rt_printf("  ecx after: %x\n", after_ecx);

    volatile uint8_t *acc = gdt_entry(0x70);
    rt_printf("accessed bit before load: %x\n", acc[5]);
    run("load", load_acc, 0, 0);
    rt_printf("accessed bit after load: %x\n", acc[5]);

    run("ss [ebp] 0x501ffc", ss_ebp, 0x501ffc, 0);
    run("ss [ebp] 0x501ffe", ss_ebp, 0x501ffe, 0);
    run("pop esp 0x501ffe", ss_pop, 0x501ffe, 0);
    run("push/pop esp 0x501800", ss_ok, 0x501800, 0);
    rt_printf("  popped: %x\n", after_ecx);

    run("rep stosb edi 0xff0 ecx 0x20", rep_stosb_up, 0xff0, 0x20);
    rt_printf("  ecx %x edi %x, last byte in: %x, first beyond: %x\n", after_ecx, after_edi,
              *(volatile uint8_t *)0x500fff, *(volatile uint8_t *)0x501000);
    run("rep movsd edi 0xff4 ecx 8", rep_movsd_up, 0xff4, 8);
    rt_printf("  ecx %x esi %x edi %x\n", after_ecx, after_esi, after_edi);
    run("lodsw esi 0xfff", lodsw_up, 0xfff, 0);
    rt_printf("  esi %x\n", after_esi);
    run("rep stosd down edi 0x1008 ecx 8", rep_stosd_down, 0x1008, 8);
    rt_printf("  ecx %x edi %x, stored at 0x1000: %x\n", after_ecx, after_edi,
              *(volatile uint32_t *)0x501000);
    rt_puts("seglimit done\n");
    return 0;
}
