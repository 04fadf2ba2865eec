/*
 * sys.h - system-level CPU operations: segment loading and descriptor
 * checks, far transfers, interrupt and exception delivery through the IVT
 * (real mode) or IDT (protected mode), control registers, port I/O, CPUID.
 * The helpers of helpers_sys.def are implemented in seg.c and sys.c (their
 * prototypes are in helpers.h).
 */
#ifndef TRANSLATOR_SYS_H
#define TRANSLATOR_SYS_H

#include <stdbool.h>
#include <stdint.h>

#include "translator/x86/cpu.h"

/* Deliver an interrupt or exception now: push the frame, load CS:EIP from
 * the IVT or the IDT gate, clear IF for interrupt gates. is_int: a software
 * INT n, INT3 or INTO (privilege check against the gate's DPL, returns to
 * next_eip); INT n's #GP(0) in virtual-8086 mode with IOPL < 3 is raised
 * by its translation before it gets here.
 * May raise (e.g. #GP for a bad gate, #PF on the stack), re-entering the
 * exception path (excp.c turns that into #DF / a triple fault). */
void do_interrupt(struct cpu *cpu, int vec, bool is_int, int err,
                  bool has_err, uint32_t next_eip);


/* msr.c: RDMSR and WRMSR of the MSRs kept in cpu->msr. False when idx is
 * none of them, or (write) when v sets a reserved bit or names an invalid
 * memory type: the caller raises #GP(0). */
bool cpu_msr_read(struct cpu *cpu, uint32_t idx, uint64_t *v);
bool cpu_msr_write(struct cpu *cpu, uint32_t idx, uint64_t v);
/* sys.c: MAXPHYADDR, the width of physical addresses the MSRs hold. */
unsigned cpu_phys_addr_bits(void);

/* IN and OUT for the instruction at host address ra (INS, OUTS), the
 * device seeing that instruction's virtual time. */
uint32_t cpu_port_read(struct cpu *cpu, uint32_t port, uint32_t size,
                       uintptr_t ra);
void cpu_port_write(struct cpu *cpu, uint32_t port, uint32_t value,
                    uint32_t size, uintptr_t ra);

#endif
