/*
 * paging.c - the x86 side of the soft MMU: the 32-bit page walk (SDM 3A
 * 4.3) that softmmu's TLB calls on a miss through its translate hook, the
 * device-time hooks, and TLB flushes in x86 terms (INVLPG of a 4 MiB
 * page). softmmu caches what the walk returns in 4 KiB pieces and knows
 * nothing of page tables, CR0, CR3, CR4 or the A20 gate.
 */
#include "translator/x86/cpu_access.h"

#include "base/util.h"

/* CR4 bits used by the walk (SDM 3A 2.5). */
#define CR4_PSE 0x00000010u

/* Page-directory and page-table entry bits (SDM 3A 4.3, tables 4-4..4-6). */
#define PTE_P 0x001u
#define PTE_RW 0x002u
#define PTE_US 0x004u
#define PTE_A 0x020u
#define PTE_D 0x040u
#define PDE_PS 0x080u
/* In a 4 MiB PDE, bit 21 is reserved whatever MAXPHYADDR is (table 4-4). */
#define PDE4M_RSVD 0x00200000u

/* #PF error code (SDM 3A 4.7). */
#define PFERR_P 0x01 /* protection violation (else: not present) */
#define PFERR_W 0x02 /* the access was a write */
#define PFERR_U 0x04 /* the access was in user mode */
#define PFERR_RSVD 0x08

static uint32_t pt_read(struct cpu *cpu, uint32_t paddr)
{
    uint8_t *p = phys_host_ptr(cpu->mmu.mem, paddr, 4);
    uint8_t buf[4];

    if (p)
        return ldl_le_p(p);
    phys_read(cpu->mmu.mem, paddr, buf, 4);
    return ldl_le_p(buf);
}

/* Set bits in a paging entry if they are not set yet. The processor does
 * this with a locked read-modify-write (SDM 3A 4.8). */
static void pt_set_bits(struct cpu *cpu, uint32_t paddr, uint32_t old,
                        uint32_t bits)
{
    if ((old & bits) != bits) {
        uint8_t buf[4];
        stl_le_p(buf, old | bits);
        phys_write(cpu->mmu.mem, paddr, buf, 4);
    }
}

static _Noreturn void page_fault(struct cpu *cpu, uint32_t addr, int err,
                                 uintptr_t ra)
{
    cpu->cr[2] = addr;
    raise_exception_err(cpu, EXCP_PF, err, ra);
}

/*
 * Translate addr with 32-bit paging (SDM 3A 4.3) for one access. Returns
 * the physical address and whether a write through this translation may
 * go straight to memory (writable and already dirty), or raises #PF.
 */
static uint32_t page_walk(struct cpu *cpu, uint32_t addr, int access, int mmu,
                          uintptr_t ra, bool *write_ok)
{
    bool user = mmu == MMU_USER;
    bool is_write = access == ACC_WRITE;
    int err = (is_write ? PFERR_W : 0) | (user ? PFERR_U : 0);
    uint32_t a20 = (uint32_t)cpu->a20_mask; /* 32-bit paging: 4 GiB */

    uint32_t pde_addr =
        ((cpu->cr[3] & 0xfffff000u) | ((addr >> 20) & 0xffc)) & a20;
    uint32_t pde = pt_read(cpu, pde_addr);
    if (!(pde & PTE_P))
        page_fault(cpu, addr, err, ra);

    bool large = (pde & PDE_PS) && (cpu->cr[4] & CR4_PSE);
    uint32_t pte_addr = 0, pte, paddr;
    uint32_t rights; /* effective R/W and U/S: AND over both levels (4.6) */
    if (large) {
        /* SDM 3A 4.7: reserved bits are checked only in present entries,
         * so RSVD always comes with P (QEMU 7.2's TCG leaves P clear). */
        if (pde & PDE4M_RSVD)
            page_fault(cpu, addr, err | PFERR_P | PFERR_RSVD, ra);
        pte = pde;
        rights = pde;
        paddr = (pde & 0xffc00000u) | (addr & 0x003fffffu);
    } else {
        pte_addr = ((pde & 0xfffff000u) | ((addr >> 10) & 0xffc)) & a20;
        pte = pt_read(cpu, pte_addr);
        if (!(pte & PTE_P))
            page_fault(cpu, addr, err, ra);
        rights = pde & pte;
        paddr = (pte & 0xfffff000u) | (addr & 0xfffu);
    }

    /* SDM 3A 4.6.1: user accesses need U/S=1 everywhere, user writes also
     * R/W=1; supervisor writes need R/W=1 only when CR0.WP is set. */
    bool writable;
    if (user) {
        if (!(rights & PTE_US))
            page_fault(cpu, addr, err | PFERR_P, ra);
        writable = (rights & PTE_RW) != 0;
    } else {
        writable = (rights & PTE_RW) || !(cpu->cr[0] & CR0_WP);
    }
    if (is_write && !writable)
        page_fault(cpu, addr, err | PFERR_P, ra);

    /* Accessed in every entry used, dirty in the one mapping the page. */
    pt_set_bits(cpu, pde_addr, pde, PTE_A);
    if (large) {
        if (is_write) {
            pte = pde | PTE_A;
            pt_set_bits(cpu, pde_addr, pte, PTE_D);
            pte |= PTE_D;
        }
    } else {
        pt_set_bits(cpu, pte_addr, pte, PTE_A | (is_write ? PTE_D : 0));
        if (is_write)
            pte |= PTE_D;
    }
    /* Until the page is dirty a write must come back here to set D. */
    *write_ok = writable && (pte & PTE_D);
    return paddr & a20;
}

/* The translate hook: linear to physical for one access. Without paging
 * linear is physical, through the A20 gate. */
static hwaddr x86_translate(void *owner, vaddr addr, int access, int mmu,
                            uintptr_t ra, bool *write_ok)
{
    struct cpu *cpu = owner;

    *write_ok = true;
    if (cpu->cr[0] & CR0_PG)
        return page_walk(cpu, (uint32_t)addr, access, mmu, ra, write_ok);
    return addr & cpu->a20_mask;
}

static int64_t x86_io_begin(void *owner, uintptr_t ra)
{
    return cpu_io_begin(owner, ra);
}

static void x86_io_end(void *owner, int64_t ahead)
{
    cpu_io_end(owner, ahead);
}

void cpu_mmu_init(struct cpu *cpu)
{
    cpu->mmu.owner = cpu;
    cpu->mmu.addr_mask = 0xffffffffu; /* 32-bit linear addresses */
    cpu->mmu.translate = x86_translate;
    cpu->mmu.io_begin = x86_io_begin;
    cpu->mmu.io_end = x86_io_end;
}

void cpu_tlb_flush(struct cpu *cpu)
{
    tlb_flush(&cpu->mmu);
}

void cpu_tlb_flush_page(struct cpu *cpu, vaddr addr)
{
    /* INVLPG of an address inside a 4 MiB page drops the whole page (SDM
     * 3A 4.10.4.1); with CR4.PSE any page may be one. */
    tlb_flush_page(&cpu->mmu, cpu_lin(cpu, addr),
                   (cpu->cr[4] & CR4_PSE) ? 0x400000u : PAGE_SIZE);
}
