; Multiboot header, entry point, GDT/IDT loaders and the interrupt entry points
; shared by every guest test program.  Each entry point pushes a dummy error code
; when the CPU pushes none, then its vector, and joins isr_common, which
; saves all registers in a struct rt_frame (rt.h) and calls rt_isr_dispatch.
bits 32

MB_MAGIC equ 0x1BADB002
MB_FLAGS equ 0x00000003          ; page-aligned modules, memory info wanted

section .multiboot
align 4
        dd MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)

section .bss
align 16
        resb 65536
global rt_stack_top
rt_stack_top:

section .data
global rt_mb_magic, rt_mb_info
rt_mb_magic: dd 0
rt_mb_info:  dd 0

section .text
extern main, rt_init, rt_exit, rt_isr_dispatch, __bss_start, __bss_end
global _start
_start:
        cli
        mov [rt_mb_magic], eax
        mov [rt_mb_info], ebx
        ; the loader zeroes .bss already; do it again so nothing depends on it
        mov edi, __bss_start
.zero:  cmp edi, __bss_end
        jae .zeroed
        mov dword [edi], 0
        add edi, 4
        jmp .zero
.zeroed:
        mov esp, rt_stack_top
        push dword 2                ; EFLAGS: only the reserved bit 1
        popfd
        call rt_init
        call main
        push eax
        call rt_exit
.hang:  cli
        hlt
        jmp .hang

; void rt_load_gdt(const void *gdtr): load the GDT and reload every segment
; register with the flat selectors 0x08 (code) and 0x10 (data).
global rt_load_gdt
rt_load_gdt:
        mov eax, [esp + 4]
        lgdt [eax]
        jmp 0x08:.reload
.reload:
        mov ax, 0x10
        mov ds, ax
        mov es, ax
        mov fs, ax
        mov gs, ax
        mov ss, ax
        ret

; void rt_load_idt(const void *idtr)
global rt_load_idt
rt_load_idt:
        mov eax, [esp + 4]
        lidt [eax]
        ret

; void rt_user_enter(void (*fn)(void)), for rt_user_call (rt.c, which has set
; up the TSS, the ring-3 selectors 0x73/0x7b and the gate of INT 0x7f): IRET
; to fn at CPL 3 with IOPL 3 on a stack of its own, fn returning into INT
; 0x7f, whose gate leads to rt_user_ret at CPL 0 (SS:ESP from the TSS),
; which drops that frame and returns from rt_user_enter with the registers
; and EFLAGS it was called with.
global rt_user_enter, rt_user_ret
rt_user_enter:
        pushad
        pushfd
        mov [rt_user_saved_esp], esp
        mov eax, [esp + 40]             ; fn
        mov dword [rt_user_stack_top - 4], rt_user_exit
        push dword 0x7b                 ; SS
        push dword rt_user_stack_top - 4 ; ESP: fn returns to rt_user_exit
        pushfd
        or dword [esp], 0x3000          ; IOPL 3
        push dword 0x73                 ; CS
        push eax                        ; EIP
        mov cx, 0x7b
        mov ds, cx
        mov es, cx
        mov fs, cx
        mov gs, cx
        iretd
; void rt_v86_enter(uint32_t cs, uint32_t ip), for rt_v86_call: the same,
; with an IRET to cs:ip in virtual-8086 mode (VM and IOPL 3 in the EFLAGS
; image, which also holds the V86 segment registers, SDM 3A 20.2.5).
global rt_v86_enter
rt_v86_enter:
        pushad
        pushfd
        mov [rt_user_saved_esp], esp
        mov eax, [esp + 40]             ; cs
        mov ebx, [esp + 44]             ; ip
        push eax                        ; GS
        push eax                        ; FS
        push eax                        ; DS
        push eax                        ; ES
        push eax                        ; SS
        push dword 0xfff0               ; ESP
        pushfd
        or dword [esp], 0x23000         ; VM, IOPL 3
        and dword [esp], ~0x4200        ; IF and NT clear
        push eax                        ; CS
        push ebx                        ; EIP
        iretd
rt_user_exit:
        int 0x7f
rt_user_ret:
        mov ax, 0x10
        mov ds, ax
        mov es, ax
        mov fs, ax
        mov gs, ax
        mov esp, [rt_user_saved_esp]
        popfd
        popad
        ret

section .bss
align 16
        resb 16384
rt_user_stack_top:
rt_user_saved_esp:
        resd 1

section .text
; Vectors for which the CPU pushes an error code (SDM 3A 6.13).
%define HAS_ERR(v) ((v) == 8 || (v) == 10 || (v) == 11 || (v) == 12 || (v) == 13 || (v) == 14 || (v) == 17)

%assign i 0
%rep 256
isr_vec_%[i]:
%if HAS_ERR(i) == 0
        push dword 0
%endif
        push dword i
        jmp isr_common
%assign i i + 1
%endrep

isr_common:
        pushad
        push ds
        push es
        push fs
        push gs
        mov ax, 0x10
        mov ds, ax
        mov es, ax
        cld
        push esp
        call rt_isr_dispatch
        add esp, 4
        pop gs
        pop fs
        pop es
        pop ds
        popad
        add esp, 8                  ; vector and error code
        iretd

section .data
global rt_isr_entries
rt_isr_entries:
%assign i 0
%rep 256
        dd isr_vec_%[i]
%assign i i + 1
%endrep

section .note.GNU-stack noalloc noexec nowrite progbits
