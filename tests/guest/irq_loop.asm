; irq_loop: the hot register-only loop of the IRQ test (see irq_loop.c).
; It runs ECX from 0 to count while folding a checksum in EAX/EDX; no
; memory access, so only the chain-breaking interrupt check can stop it.
bits 32
section .text
global irq_reg_loop, irq_loop_start, irq_loop_end
; uint32_t irq_reg_loop(uint32_t count)
irq_reg_loop:
        mov eax, 0x12345678
        xor ecx, ecx
        mov edx, [esp + 4]
irq_loop_start:
        rol eax, 3
        add eax, ecx
        inc ecx
        cmp ecx, edx
        jne irq_loop_start
irq_loop_end:
        ret

section .note.GNU-stack noalloc noexec nowrite progbits
