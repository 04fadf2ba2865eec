/*
 * sys.h - system-level CPU operations: segment loading and descriptor
 * checks, far transfers, interrupt and exception delivery through the IVT
 * (real mode) or IDT (protected mode), control registers, port I/O, CPUID.
 * The helpers of helpers_sys.def are implemented in seg.c and sys.c.
 */
#ifndef TRANSLATOR_SYS_H
#define TRANSLATOR_SYS_H

#include <stdbool.h>
#include <stdint.h>

#include "translator/x86/cpu.h"

/* Deliver an interrupt or exception now: push the frame, load CS:EIP from
 * the IVT or the IDT gate, clear IF for interrupt gates. is_int: a software
 * INT n (privilege check against the gate's DPL, returns to next_eip).
 * May raise (e.g. #GP for a bad gate, #PF on the stack), re-entering the
 * exception path (excp.c turns that into #DF / a triple fault). */
void do_interrupt(struct cpu *cpu, int vec, bool is_int, int err,
                  bool has_err, uint32_t next_eip);


/* Prototypes of the helpers in helpers_sys.def. */
void helper_load_seg(struct cpu *cpu, uint32_t seg, uint32_t sel);
void helper_ljmp(struct cpu *cpu, uint32_t sel, uint32_t offset, uint32_t next_eip);
void helper_lcall(struct cpu *cpu, uint32_t sel, uint32_t offset, uint32_t opsize,
                  uint32_t next_eip);
void helper_lret(struct cpu *cpu, uint32_t opsize, uint32_t imm);
void helper_iret(struct cpu *cpu, uint32_t opsize, uint32_t next_eip);
void helper_lgdt(struct cpu *cpu, uint32_t addr, uint32_t opsize);
void helper_lidt(struct cpu *cpu, uint32_t addr, uint32_t opsize);
void helper_sgdt(struct cpu *cpu, uint32_t addr, uint32_t opsize);
void helper_sidt(struct cpu *cpu, uint32_t addr, uint32_t opsize);
void helper_lldt(struct cpu *cpu, uint32_t sel);
void helper_ltr(struct cpu *cpu, uint32_t sel);
uint32_t helper_lar(struct cpu *cpu, uint32_t sel, uint32_t old);
uint32_t helper_lsl(struct cpu *cpu, uint32_t sel, uint32_t old);
void helper_verr(struct cpu *cpu, uint32_t sel);
void helper_verw(struct cpu *cpu, uint32_t sel);
uint32_t helper_arpl(struct cpu *cpu, uint32_t dst, uint32_t src);
uint32_t helper_read_cr(struct cpu *cpu, uint32_t reg);
void helper_write_cr(struct cpu *cpu, uint32_t reg, uint32_t value);
uint32_t helper_read_dr(struct cpu *cpu, uint32_t reg);
void helper_write_dr(struct cpu *cpu, uint32_t reg, uint32_t value);
void helper_lmsw(struct cpu *cpu, uint32_t value);
void helper_clts(struct cpu *cpu);
void helper_invlpg(struct cpu *cpu, uint32_t addr);
void helper_cpuid(struct cpu *cpu);
void helper_rdtsc(struct cpu *cpu);
void helper_rdmsr(struct cpu *cpu);
void helper_wrmsr(struct cpu *cpu);
void helper_rdpmc(struct cpu *cpu);
void helper_check_io(struct cpu *cpu, uint32_t port, uint32_t size);
uint32_t helper_in(struct cpu *cpu, uint32_t port, uint32_t size);
void helper_out(struct cpu *cpu, uint32_t port, uint32_t value, uint32_t size);
/* IN and OUT for the instruction at host address ra (INS, OUTS), the
 * device seeing that instruction's virtual time. */
uint32_t cpu_port_read(struct cpu *cpu, uint32_t port, uint32_t size,
                       uintptr_t ra);
void cpu_port_write(struct cpu *cpu, uint32_t port, uint32_t value,
                    uint32_t size, uintptr_t ra);
void helper_hlt(struct cpu *cpu, uint32_t next_eip);
void helper_raise_exception(struct cpu *cpu, uint32_t vec);
void helper_raise_exception_err(struct cpu *cpu, uint32_t vec, uint32_t err);
void helper_raise_interrupt(struct cpu *cpu, uint32_t vec, uint32_t next_eip);

#endif
