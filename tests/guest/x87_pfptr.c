/* x87_pfptr: a page fault on an x87 memory operand leaves the FPU as it
 * was, its last-instruction pointers included (SDM vol. 1 8.1.8: FIP,
 * FCS, FOP, FDP and FDS belong to the last non-control instruction
 * executed; a faulting instruction has not executed: SDM 3A 6.5, a fault
 * "restores the machine state to the state prior to the beginning of
 * execution of the faulting instruction").
 *
 * Paging on with CR0.WP: TEST is a present page, TEST + 0x1000 is not
 * present, TEST + 0x2000 is read-only. Each case runs FNINIT, FLDS from
 * TEST (at "ref", the last instruction that completes), then the case's
 * instruction; the #PF handler resumes after it and FNSTENV shows the
 * pointers: FIP as an offset from ref, FOP, FDP as an offset from TEST,
 * the status and tag words; and whether the TEST page was written.
 * Loads and stores wholly on the bad page, and m80 operands that begin
 * on TEST and cross into it (the fault is on the second page, CR2 says
 * so); a case that does not fault shows the pointers move to it.
 *
 * Bochs (x87_pfptr.bochs-expected) agrees on the faults, CR2 and the FPU
 * state, and keeps the pointers on a faulting load, but moves FIP, FOP
 * and FDP to a store before its #PF. QEMU's TCG (x87_pfptr.qemu-expected)
 * keeps no FOP, leaves PE set by a FIST(P) whose store faults, sets no C1
 * for a result rounded up, and names the last byte of an FBSTP operand in
 * CR2 (it stores from the sign byte down) where Bochs names the first
 * faulting one. */
#include "rt/paging.h"

#define PD 0x300000u
#define TEST 0x600000u /* second identity page table, entry 0x200 */
#define NP (TEST + 0x1000u)
#define RO (TEST + 0x2000u)

static volatile uint32_t fault_vec, fault_err, fault_cr2, faulted, resume;

static void on_fault(struct rt_frame *f)
{
    fault_vec = f->vec;
    fault_err = f->err;
    fault_cr2 = rd_cr2();
    faulted = 1;
    f->eip = resume;
}

#define CASE(name, insn)                                                       \
    do {                                                                       \
        uint32_t env_[7], ref_;                                                \
        for (unsigned i_ = 0; i_ < 4096; i_++)                                 \
            ((volatile uint8_t *)TEST)[i_] = 0xee;                             \
        *(volatile float *)TEST = 1.5f;                                        \
        faulted = 0;                                                           \
        __asm__ volatile("movl $1f, %[res]\n\t"                                \
                         "movl $2f, %[ref]\n\t"                                \
                         "fninit\n"                                            \
                         "2:\tflds (%[t])\n\t" insn "\n"                       \
                         "1:\tfnstenv %[env]\n\tfninit"                        \
                         : [res] "=m"(resume), [ref] "=m"(ref_),              \
                           [env] "=m"(env_)                                    \
                         : [t] "r"(TEST), [np] "r"(NP), [ro] "r"(RO)           \
                         : "memory");                                          \
        report(name, env_, ref_);                                              \
    } while (0)

static void report(const char *name, const uint32_t *env, uint32_t ref)
{
    unsigned touched = 0;
    for (unsigned i = 4; i < 4096; i++)
        touched += ((volatile uint8_t *)TEST)[i] != 0xee;
    if (faulted)
        rt_printf("%s: vector %u err %x cr2 TEST+%x\n", name, fault_vec,
                  fault_err, fault_cr2 - TEST);
    else
        rt_printf("%s: ok\n", name);
    rt_printf("  fip ref+%x fop %03x fdp TEST+%x sw %04x tw %04x, %s\n",
              env[3] - ref, (env[4] >> 16) & 0x7ff, env[5] - TEST,
              env[1] & 0xffff, env[2] & 0xffff,
              touched ? "memory written" : "memory untouched");
}

int main(void)
{
    pg_init();
    rt_set_handler(14, on_fault);
    uint32_t *dir = pg_build32(PD);
    uint32_t *pt = (uint32_t *)(dir[1] & ~0xfffu);
    pt[(NP >> 12) & 0x3ff] = 0;
    pt[(RO >> 12) & 0x3ff] &= ~PG_RW;
    wr_cr3(PD);
    wr_cr0(rd_cr0() | CR0_PG | CR0_WP);

    rt_printf("-- no fault: the pointers move\n");
    CASE("fadds TEST+4", "fadds 4(%[t])");
    CASE("fstps TEST+8", "fstps 8(%[t])");
    rt_printf("-- not present\n");
    CASE("fadds NP", "fadds (%[np])");
    CASE("fldl NP", "fldl (%[np])");
    CASE("fildl NP", "fildl (%[np])");
    CASE("fstps NP", "fstps (%[np])");
    CASE("fistpl NP", "fistpl (%[np])");
    CASE("fldt TEST+0xffc (crosses)", "fldt 0xffc(%[t])");
    CASE("fstpt TEST+0xffc (crosses)", "fstpt 0xffc(%[t])");
    CASE("fbstp TEST+0xffa (crosses)", "fbstp 0xffa(%[t])");
    CASE("fstpl TEST+0xffc (crosses)", "fstpl 0xffc(%[t])");
    rt_printf("-- read-only\n");
    CASE("fadds RO", "fadds (%[ro])");
    CASE("fstps RO", "fstps (%[ro])");
    CASE("fistps RO", "fistps (%[ro])");
    CASE("fbstp RO", "fbstp (%[ro])");
    rt_printf("x87_pfptr done\n");
    return 0;
}
