/*
 * paging.c - the x86 side of the soft MMU: the page walks that softmmu's
 * TLB calls on a miss through its translate hook (32-bit paging with PSE,
 * SDM 3A 4.3; PAE paging with its PDPTE registers and execute-disable,
 * 4.4), the control-register writes paging depends on (PDPTE loads and
 * the flushes they imply), the device-time hooks, and TLB flushes in x86
 * terms (INVLPG, CR3 reloads that keep global pages). softmmu caches what
 * the walk returns in 4 KiB pieces and knows nothing of page tables, CR0,
 * CR3, CR4, EFER or the A20 gate.
 */
#include "translator/x86/cpu_access.h"

#include "base/util.h"

/* Paging-structure entry bits (SDM 3A 4.3 tables 4-4..4-6, 4.4.2 tables
 * 4-8..4-11). PS and G mean "page size" in a PDE, "global" in the entry
 * that maps a page. */
#define PTE_P 0x001u
#define PTE_RW 0x002u
#define PTE_US 0x004u
#define PTE_A 0x020u
#define PTE_D 0x040u
#define PDE_PS 0x080u
#define PTE_G 0x100u
#define PTE_XD (1ull << 63) /* PAE: execute-disable, with EFER.NXE */

/* In a 4 MiB PDE, bits 21:13 are reserved on a processor without PSE-36
 * (SDM 3A 4.3: "If the PSE-36 mechanism is not supported, bits 21:13 are
 * reserved"). CPUID does not claim PSE-36 (sys.c): the board has no
 * physical address above 4 GiB for bits 20:13 to reach. Bit 12 is PAT. */
#define PDE4M_RSVD 0x003fe000u

/*
 * PAE entries (64 bits) with MAXPHYADDR 36, what jet86 reports (no CPUID
 * leaf 0x80000008: SDM 3A 4.1.4):
 *
 *   63  62..36   35..12          11..9  8  7   6  5  4   3   2   1   0
 *   XD  reserved address         avail  G  PS  D  A  PCD PWT U/S R/W P
 *
 * A 2 MiB PDE holds address bits 35..21 and has bits 20..13 reserved
 * (bit 12 is PAT). A PDPTE (table 4-8) has reserved bits 2..1, 8..5 and
 * 63..36; XD is reserved when EFER.NXE is clear (4.4.2).
 */
#define PAE_ADDR_MASK 0x0000000ffffff000ull
#define PAE_RSVD_HIGH 0x7ffffff000000000ull
#define PAE_RSVD_2M 0x00000000001fe000ull
#define PDPTE_RSVD 0xfffffff0000001e6ull

/* #PF error code (SDM 3A 4.7). */
#define PFERR_P 0x01 /* protection violation (else: not present) */
#define PFERR_W 0x02 /* the access was a write */
#define PFERR_U 0x04 /* the access was in user mode */
#define PFERR_RSVD 0x08
#define PFERR_ID 0x10 /* an instruction fetch, with PAE and EFER.NXE */

static bool pae_nx(const struct cpu *cpu)
{
    return (cpu->cr[4] & CR4_PAE) && (cpu->efer & EFER_NXE);
}

static uint64_t pt_read(struct cpu *cpu, hwaddr paddr, unsigned size)
{
    uint8_t *p = phys_host_ptr(cpu->mmu.mem, paddr, size);
    uint8_t buf[8];

    if (!p) {
        phys_read(cpu->mmu.mem, paddr, buf, size);
        p = buf;
    }
    return size == 8 ? ldq_le_p(p) : ldl_le_p(p);
}

/* Set bits (all in the low 32 bits: A, D) in a paging entry if they are
 * not set yet. The processor does this with a locked read-modify-write
 * (SDM 3A 4.8). */
static void pt_set_bits(struct cpu *cpu, hwaddr paddr, uint64_t old,
                        uint32_t bits)
{
    if ((old & bits) != bits) {
        uint8_t buf[4];
        stl_le_p(buf, (uint32_t)old | bits);
        phys_write(cpu->mmu.mem, paddr, buf, 4);
    }
}

/* One access being translated, and the #PF it would raise. */
struct walk {
    struct cpu *cpu;
    uint32_t addr;
    bool user, write, fetch;
    uintptr_t ra;
    int err; /* W, U and I/D of the error code */
    hwaddr a20;
};

static _Noreturn void page_fault(const struct walk *w, int bits)
{
    w->cpu->cr[2] = w->addr;
    raise_exception_err(w->cpu, EXCP_PF, w->err | bits, w->ra);
}

/* The entry that maps the page (a PTE, or a PDE with PS), where it is,
 * and what the walk gathered on the way. */
struct leaf {
    uint64_t entry;
    hwaddr at;
    uint64_t rights; /* R/W and U/S: AND over every level (SDM 3A 4.6) */
    bool nx;         /* XD in some level, with EFER.NXE */
    bool large;
    hwaddr paddr;
};

/*
 * Access rights (SDM 3A 4.6.1) and the accessed and dirty flags of the
 * entry that maps the page, which the processor sets only when the access
 * is allowed (the entries above it were set as the walk used them: 4.8).
 * Returns the TLB protection of the page.
 */
static unsigned walk_finish(const struct walk *w, const struct leaf *l)
{
    struct cpu *cpu = w->cpu;
    bool writable;

    /* User accesses need U/S=1 everywhere, user writes also R/W=1;
     * supervisor writes need R/W=1 only when CR0.WP is set. Fetches need
     * no XD (4.6.2). */
    if (w->user) {
        if (!(l->rights & PTE_US))
            page_fault(w, PFERR_P);
        writable = (l->rights & PTE_RW) != 0;
    } else {
        writable = (l->rights & PTE_RW) || !(cpu->cr[0] & CR0_WP);
    }
    if ((w->write && !writable) || (w->fetch && l->nx))
        page_fault(w, PFERR_P);

    uint32_t set = PTE_A | (w->write ? PTE_D : 0);
    pt_set_bits(cpu, l->at, l->entry, set);
    bool dirty = ((l->entry | set) & PTE_D) != 0;

    /* Until the page is dirty a write must come back here to set D. */
    unsigned prot = 0;
    if (writable && dirty)
        prot |= TLB_PROT_WRITE;
    if (!l->nx)
        prot |= TLB_PROT_EXEC;
    if ((l->entry & PTE_G) && (cpu->cr[4] & CR4_PGE))
        prot |= TLB_PROT_GLOBAL;
    if (l->large)
        prot |= TLB_PROT_LARGE;
    return prot;
}

/* 32-bit paging (SDM 3A 4.3): a page directory and page tables of 32-bit
 * entries; 4 MiB pages with CR4.PSE. */
static void walk_32(const struct walk *w, struct leaf *l)
{
    struct cpu *cpu = w->cpu;
    uint32_t addr = w->addr;
    hwaddr pde_at =
        ((cpu->cr[3] & 0xfffff000u) | ((addr >> 20) & 0xffc)) & w->a20;
    uint32_t pde = (uint32_t)pt_read(cpu, pde_at, 4);

    if (!(pde & PTE_P))
        page_fault(w, 0);
    if ((pde & PDE_PS) && (cpu->cr[4] & CR4_PSE)) {
        /* SDM 3A 4.7: reserved bits are checked only in present entries,
         * so RSVD always comes with P (QEMU 7.2's TCG leaves P clear). */
        if (pde & PDE4M_RSVD)
            page_fault(w, PFERR_P | PFERR_RSVD);
        *l = (struct leaf){ .entry = pde,
                            .at = pde_at,
                            .rights = pde,
                            .large = true,
                            .paddr =
                                (pde & 0xffc00000u) | (addr & 0x003fffffu) };
        return;
    }
    /* The PDE is used to reach the page table: accessed, whatever the
     * PTE holds (4.8). */
    pt_set_bits(cpu, pde_at, pde, PTE_A);
    hwaddr pte_at = ((pde & 0xfffff000u) | ((addr >> 10) & 0xffc)) & w->a20;
    uint32_t pte = (uint32_t)pt_read(cpu, pte_at, 4);
    if (!(pte & PTE_P))
        page_fault(w, 0);
    *l = (struct leaf){ .entry = pte,
                        .at = pte_at,
                        .rights = pde & pte,
                        .paddr = (pte & 0xfffff000u) | (addr & 0xfffu) };
}

/* Reserved bits of a present PAE PDE or PTE (SDM 3A 4.4.2). */
static uint64_t pae_rsvd(const struct cpu *cpu)
{
    return PAE_RSVD_HIGH | ((cpu->efer & EFER_NXE) ? 0 : PTE_XD);
}

/* PAE paging (SDM 3A 4.4): a PDPTE register picks a page directory of
 * 64-bit entries; 2 MiB pages whatever CR4.PSE says. */
static void walk_pae(const struct walk *w, struct leaf *l)
{
    struct cpu *cpu = w->cpu;
    uint32_t addr = w->addr;
    uint64_t rsvd = pae_rsvd(cpu);
    bool nxe = (cpu->efer & EFER_NXE) != 0;
    uint64_t pdpte = cpu->pdpte[addr >> 30];

    if (!(pdpte & PTE_P))
        page_fault(w, 0);
    hwaddr pde_at = ((pdpte & PAE_ADDR_MASK) | ((addr >> 18) & 0xff8)) & w->a20;
    uint64_t pde = pt_read(cpu, pde_at, 8);
    if (!(pde & PTE_P))
        page_fault(w, 0);
    if (pde & (rsvd | ((pde & PDE_PS) ? PAE_RSVD_2M : 0)))
        page_fault(w, PFERR_P | PFERR_RSVD);
    if (pde & PDE_PS) {
        *l = (struct leaf){ .entry = pde,
                            .at = pde_at,
                            .rights = pde,
                            .nx = nxe && (pde & PTE_XD),
                            .large = true,
                            .paddr = (pde & PAE_ADDR_MASK & ~0x1fffffull) |
                                     (addr & 0x1fffffu) };
        return;
    }
    pt_set_bits(cpu, pde_at, pde, PTE_A);
    hwaddr pte_at = ((pde & PAE_ADDR_MASK) | ((addr >> 9) & 0xff8)) & w->a20;
    uint64_t pte = pt_read(cpu, pte_at, 8);
    if (!(pte & PTE_P))
        page_fault(w, 0);
    if (pte & rsvd)
        page_fault(w, PFERR_P | PFERR_RSVD);
    *l = (struct leaf){ .entry = pte,
                        .at = pte_at,
                        .rights = pde & pte,
                        .nx = nxe && ((pde | pte) & PTE_XD),
                        .paddr = (pte & PAE_ADDR_MASK) | (addr & 0xfffu) };
}

/* The translate hook: linear to physical for one access. Without paging
 * linear is physical, through the A20 gate. */
static hwaddr x86_translate(void *owner, vaddr addr, int access, int mmu,
                            uintptr_t ra, unsigned *prot)
{
    struct cpu *cpu = owner;

    if (!(cpu->cr[0] & CR0_PG)) {
        *prot = TLB_PROT_WRITE | TLB_PROT_EXEC;
        return addr & cpu->a20_mask;
    }
    struct walk w = {
        .cpu = cpu,
        .addr = (uint32_t)addr,
        .user = mmu == MMU_USER,
        .write = access == ACC_WRITE,
        .fetch = access == ACC_CODE,
        .ra = ra,
        .a20 = cpu->a20_mask,
    };
    w.err = (w.write ? PFERR_W : 0) | (w.user ? PFERR_U : 0) |
            (w.fetch && pae_nx(cpu) ? PFERR_ID : 0);
    struct leaf l;
    if (cpu->cr[4] & CR4_PAE)
        walk_pae(&w, &l);
    else
        walk_32(&w, &l);
    *prot = walk_finish(&w, &l);
    return l.paddr & w.a20;
}

static int64_t x86_io_begin(void *owner, uintptr_t ra)
{
    return cpu_io_begin(owner, ra);
}

static void x86_io_end(void *owner, int64_t ahead) { cpu_io_end(owner, ahead); }

void cpu_mmu_init(struct cpu *cpu)
{
    cpu->mmu.owner = cpu;
    cpu->mmu.addr_mask = 0xffffffffu; /* 32-bit linear addresses */
    cpu->mmu.translate = x86_translate;
    cpu->mmu.io_begin = x86_io_begin;
    cpu->mmu.io_end = x86_io_end;
}

void cpu_tlb_flush(struct cpu *cpu) { tlb_flush(&cpu->mmu); }

void cpu_set_a20(struct cpu *cpu, bool enabled)
{
    hwaddr mask = enabled ? ~(hwaddr)0 : ~(hwaddr)(1u << 20);
    if (mask == cpu->a20_mask)
        return;
    cpu->a20_mask = mask;
    tlb_flush(&cpu->mmu);
}

void cpu_tlb_flush_page(struct cpu *cpu, vaddr addr)
{
    /* INVLPG drops the page holding addr, and when a large page maps it
     * the whole large page (SDM 3A 4.10.4.1): 2 MiB with PAE, 4 MiB with
     * CR4.PSE. */
    uint64_t large = (cpu->cr[4] & CR4_PAE)   ? 0x200000u
                     : (cpu->cr[4] & CR4_PSE) ? 0x400000u
                                              : PAGE_SIZE;
    tlb_flush_page(&cpu->mmu, cpu_lin(cpu, addr), large);
}

/* ---- control registers ---- */

/* SDM 3A 4.4.1: the four PDPTEs at CR3 bits 31:5; false if a present one
 * sets a reserved bit. */
static bool load_pdptes(struct cpu *cpu, uint32_t cr3, uint64_t pdpte[4])
{
    for (int i = 0; i < 4; i++) {
        hwaddr at = ((cr3 & 0xffffffe0u) + (uint32_t)i * 8) & cpu->a20_mask;
        pdpte[i] = pt_read(cpu, at, 8);
        if ((pdpte[i] & PTE_P) && (pdpte[i] & PDPTE_RSVD))
            return false;
    }
    return true;
}

void cpu_paging_set_cr(struct cpu *cpu, uint32_t cr0, uint32_t cr3,
                       uint32_t cr4, bool cr3_write, uintptr_t ra)
{
    uint32_t d0 = (uint32_t)cpu->cr[0] ^ cr0, d4 = (uint32_t)cpu->cr[4] ^ cr4;
    bool pae = (cr0 & CR0_PG) && (cr4 & CR4_PAE);

    /* The PDPTEs are loaded when PAE paging is in use after a MOV to CR3,
     * or after a MOV to CR0 or CR4 that changes CR0.CD, NW or PG, or
     * CR4.PAE, PGE or PSE; #GP(0) before anything changes if a present
     * one sets a reserved bit (SDM 3A 4.4.1). */
    if (pae && (cr3_write || (d0 & (CR0_PG | CR0_CD | CR0_NW)) ||
                (d4 & (CR4_PAE | CR4_PGE | CR4_PSE)))) {
        uint64_t pdpte[4];
        if (!load_pdptes(cpu, cr3, pdpte))
            raise_exception_err(cpu, EXCP_GP, 0, ra);
        for (int i = 0; i < 4; i++)
            cpu->pdpte[i] = pdpte[i];
    }
    cpu->cr[0] = cr0;
    cpu->cr[3] = cr3;
    cpu->cr[4] = cr4;

    /* What the TLB holds depends on these bits (SDM 3A 4.10.4.1); a CR3
     * load keeps the global pages of CR4.PGE. */
    if ((d0 & (CR0_PE | CR0_PG | CR0_WP)) ||
        (d4 & (CR4_PSE | CR4_PGE | CR4_PAE)))
        tlb_flush(&cpu->mmu);
    else if (cr3_write)
        tlb_flush_nonglobal(&cpu->mmu);
}

void cpu_set_efer(struct cpu *cpu, uint64_t efer)
{
    /* NXE changes what every translation allows: flush them all. */
    if ((cpu->efer ^ efer) & EFER_NXE)
        tlb_flush(&cpu->mmu);
    cpu->efer = efer;
}
