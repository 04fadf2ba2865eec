; enter16: ENTER with a 32-bit operand size in 32-bit code on a 16-bit
; stack (SS.B = 0, base 0x640000, limit 0xfffff), where the stack pointer
; is SP. SDM 2, ENTER: the push of EBP and of the frame pointer move SP
; only (wrapping at 64 KiB, ESP's upper half kept), FrameTemp is the
; stack pointer after the first push, EBP gets it, and the allocation is
; taken from the stack pointer. With ESP's upper half clear, as here, the
; 80386 manual's and the current SDM's pseudocode agree: EBP = 0xfffe
; after a push at SP 2. QEMU's TCG computes the frame pointer as ESP - 4
; in 32 bits instead (EBP = 0xfffffffe): enter16.qemu-expected.
bits 32
SEL_SS16 equ 0x48

section .text
; void enter16_run(uint32_t esp, uint32_t alloc_level_case, uint32_t *out)
; case 0: ENTER 8, 0   case 1: ENTER 4, 1   case 2: ENTER 4, 2
; out[0] = EBP after, out[1] = ESP after
global enter16_run
enter16_run:
        pushad
        mov [saved_esp], esp
        mov eax, [esp + 36]            ; esp to use
        mov ecx, [esp + 40]            ; case
        mov edi, [esp + 44]            ; out
        mov ebx, SEL_SS16
        mov ss, bx
        mov esp, eax
        mov ebp, 0x0000fff0            ; the caller's frame: [bp - 4] below
        cmp ecx, 1
        je .c1
        cmp ecx, 2
        je .c2
        enter 8, 0
        jmp .done
.c1:    enter 4, 1
        jmp .done
.c2:    enter 4, 2
.done:  mov [edi], ebp
        mov [edi + 4], esp
        mov ax, 0x10
        mov ss, ax
        mov esp, [saved_esp]
        popad
        ret

section .data
saved_esp: dd 0

section .note.GNU-stack noalloc noexec nowrite progbits
