; sysinsn_rom.asm - a 128 KiB raw firmware image (as hello_rom.asm) that
; checks, in protected mode, the system instructions where QEMU's TCG and
; the SDM part ways, so that Bochs confirms the SDM's answers that the
; guest programs tests/guest/gate16, msr and sysenter expect. It prints on
; the debug console (port 0xE9) and ends the run itself.
;
; - 286 gates: INT through a 16-bit interrupt gate and CALL FAR through a
;   16-bit call gate whose offset fields hold 0xFFFF in their upper half.
;   SDM 3A 6.11 and 5.8.3: a 16-bit gate's offset is its low 16 bits. The
;   target segment has base 0xF0000, so an emulator that took all 32 bits
;   would land at 0xF0000 + 0xFFFFxxxx = 0xE0000 + xxxx (mod 4 GiB), in
;   the image's first half, where a stub at the same offset says so and
;   returns: the output tells the two apart, and the run goes on.
; - MSRs (SDM 4; SDM 3A 11.11, 11.12): #GP(0) for reserved PAT and MTRR
;   memory types and reserved bits, a write to IA32_MTRRCAP, an unknown MSR.
; - RDPMC at CPL 0 of counter 0 (allowed; which others exist depends on
;   the model: Bochs's default has more than a P6's two); SYSENTER and
;   SYSEXIT with IA32_SYSENTER_CS = 0 (#GP(0)).
; Exit: "Shutdown" to port 0x8900 (Bochs), then isa-debug-exit at 0xF4.
;
; QEMU's TCG takes all 32 bits of a 16-bit gate's offset, reads
; unknown MSRs as 0 and ignores writes to them, takes any PAT or MTRR
; value, ignores a write to IA32_MTRRCAP and raises #UD for RDPMC: its
; output is sysinsn_rom.qemu-expected.

        bits 16
        org 0                   ; offsets in the image

%define LIN(x) (0xe0000 + (x))  ; linear address of an image offset
%define OFF(x) ((x) - 0x10000)  ; offset in segment F000 and in SEL_ROM
SEL_FLAT equ 0x08               ; flat 32-bit code
SEL_DATA equ 0x10               ; flat data
SEL_ROM equ 0x18                ; 32-bit code, base 0xF0000, limit 0xFFFF
SEL_CALLGATE equ 0x20           ; 16-bit call gate to SEL_ROM:H_CALL
H_INT equ 0xf000                ; offsets in SEL_ROM of the gates' targets
H_CALL equ 0xf100
H_GP equ 0xf200                 ; #GP and #UD handlers (32-bit gates)
H_UD equ 0xf300

; ---- first 64 KiB, at 0xE0000: where whole 32-bit offsets would land ----
        bits 32
        times H_INT - ($ - $$) db 0xff
        mov esi, LIN(msg_int32)
        call puts32
        o16 iret
        times H_CALL - ($ - $$) db 0xff
        mov esi, LIN(msg_call32)
        call puts32
        o16 retf
        times 0x10000 - ($ - $$) db 0xff

; ---- last 64 KiB: segment F000 (real mode) and SEL_ROM ----
        bits 16
start:
        cli
        mov ax, cs
        mov ds, ax
        o32 lgdt [OFF(gdtr)]
        o32 lidt [OFF(idtr)]
        mov eax, cr0
        or eax, 1
        mov cr0, eax
        jmp dword SEL_ROM:OFF(pm)

        bits 32
pm:
        mov ax, SEL_DATA
        mov ds, ax
        mov es, ax
        mov ss, ax
        mov esp, 0x8000
        mov esi, LIN(msg_hello)
        call puts32

        ; the 286 gates: each handler prints which offset it was reached by
        mov dword [len], 2
        int 0x60
after_int:
        mov dword [len], 7
        call SEL_CALLGATE:0
after_call:

        ; MSRs: ECX, EDX:EAX from the table, until ECX = 0xffffffff
        mov ebx, LIN(msr_table)
.msr:   mov ecx, [ebx]
        cmp ecx, 0xffffffff
        je .msr_done
        mov esi, LIN(msg_wrmsr)
        call puts32
        mov eax, ecx
        call puthex32
        mov al, ' '
        out 0xe9, al
        mov eax, [ebx + 8]
        call puthex32
        mov eax, [ebx + 4]
        call puthex32
        mov al, ':'
        out 0xe9, al
        mov eax, [ebx + 4]
        mov edx, [ebx + 8]
        mov dword [faulted], 0
        mov dword [len], 2
        wrmsr
        call ok_if_no_fault
        add ebx, 12
        jmp .msr
.msr_done:
        mov esi, LIN(msg_rdmsr)
        call puts32
        mov ecx, 0x12345
        mov dword [faulted], 0
        rdmsr
        call ok_if_no_fault

        ; RDPMC at CPL 0
        mov esi, LIN(msg_rdpmc0)
        call puts32
        xor ecx, ecx
        mov dword [faulted], 0
        rdpmc
        call ok_if_no_fault

        ; SYSENTER and SYSEXIT with IA32_SYSENTER_CS = 0 (its reset value)
        mov esi, LIN(msg_sysenter)
        call puts32
        mov dword [faulted], 0
        sysenter
        call ok_if_no_fault
        mov esi, LIN(msg_sysexit)
        call puts32
        mov dword [faulted], 0
        sysexit
        call ok_if_no_fault

        mov esi, LIN(msg_done)
        call puts32
        mov dx, 0x8900          ; Bochs: "Shutdown" ends the simulation
        mov esi, LIN(msg_shutdown)
.sd:    lodsb
        test al, al
        jz .exit
        out dx, al
        jmp .sd
.exit:  mov al, 0
        out 0xf4, al            ; isa-debug-exit: status (0 << 1) | 1
.hang:  hlt
        jmp .hang

; " ok" and a newline unless a handler ran (it printed the fault)
ok_if_no_fault:
        cmp dword [faulted], 0
        jne .nl
        mov esi, LIN(msg_ok)
        call puts32
.nl:    mov al, 10
        out 0xe9, al
        ret

; ESI: a NUL-terminated string (linear) to the debug console
puts32: push eax
.next:  lodsb
        test al, al
        jz .ret
        out 0xe9, al
        jmp .next
.ret:   pop eax
        ret

; EAX as eight hex digits
puthex32:
        push ecx
        mov ecx, 8
.digit: rol eax, 4
        push eax
        and al, 15
        add al, '0'
        cmp al, '9'
        jbe .out
        add al, 'a' - '9' - 1
.out:   out 0xe9, al
        pop eax
        loop .digit
        pop ecx
        ret

; variables, in RAM
len     equ 0x9000              ; length of the instruction that may fault
faulted equ 0x9004

        times 0x10000 + H_INT - ($ - $$) db 0xff
h_int:                          ; through the 16-bit interrupt gate
        mov esi, LIN(msg_int16)
        call puts32
        cmp word [esp], OFF(after_int)
        jne .bad
        mov esi, LIN(msg_frame)
        call puts32
.bad:   mov al, 10
        out 0xe9, al
        o16 iret

        times 0x10000 + H_CALL - ($ - $$) db 0xff
h_call:                         ; through the 16-bit call gate
        mov esi, LIN(msg_call16)
        call puts32
        cmp word [esp], OFF(after_call)
        jne .bad
        cmp word [esp + 2], SEL_ROM
        jne .bad
        mov esi, LIN(msg_frame)
        call puts32
.bad:   mov al, 10
        out 0xe9, al
        o16 retf

        times 0x10000 + H_GP - ($ - $$) db 0xff
h_gp:                           ; #GP: print " #GP(err)", skip the instruction
        push eax
        mov esi, LIN(msg_gp)
        call puts32
        mov eax, [esp + 4]
        call puthex32
        mov al, ')'
        out 0xe9, al
        mov dword [faulted], 1
        mov eax, [len]
        add [esp + 8], eax
        pop eax
        add esp, 4
        iretd

        times 0x10000 + H_UD - ($ - $$) db 0xff
h_ud:                           ; #UD: print " #UD", skip the instruction
        push eax
        mov esi, LIN(msg_ud)
        call puts32
        mov dword [faulted], 1
        mov eax, [len]
        add [esp + 4], eax
        pop eax
        iretd

; the MSR writes: index, low, high
msr_table:
        dd 0x277, 0x00070402, 0x00070406   ; PAT entry 0 type 2: reserved
        dd 0x277, 0x00070406, 0x00070403   ; PAT entry 4 type 3: reserved
        dd 0x277, 0x00070416, 0x00070406   ; PAT bits 7:3 of an entry
        dd 0x277, 0x06070607, 0x00010405   ; PAT 0 1 4 5 6 7: valid
        dd 0x2ff, 0x00000007, 0            ; MTRR type 7: reserved
        dd 0x2ff, 0x00001006, 0            ; MTRR_DEF_TYPE bit 12
        dd 0x2ff, 0x00000c06, 0            ; E, FE, WB: valid
        dd 0x2ff, 0x00000000, 0
        dd 0x200, 0x00100002, 0            ; PHYSBASE0 type 2: reserved
        dd 0x200, 0x00100106, 0            ; PHYSBASE0 bit 8
        dd 0x200, 0x00100006, 0            ; valid
        dd 0x201, 0xfff00801, 0            ; PHYSMASK0 bit 0
        dd 0x201, 0xfff00800, 0            ; valid
        dd 0x250, 0x06060603, 0x06060606   ; FIX64K_00000, a type 3
        dd 0x250, 0x06060606, 0x07060606   ; a type 7
        dd 0x250, 0x00010405, 0x06060606   ; valid
        dd 0x0fe, 0x00000508, 0            ; MTRRCAP is read-only
        dd 0x12345, 0, 0                   ; no such MSR
        dd 0xffffffff

; GDT and IDT, in the ROM (accessed bits preset: nothing writes them)
align 8
gdt:    dq 0
        dw 0xffff, 0x0000, 0x9b00, 0x00cf ; SEL_FLAT
        dw 0xffff, 0x0000, 0x9300, 0x00cf ; SEL_DATA
        dw 0xffff, 0x0000, 0x9b0f, 0x0040 ; SEL_ROM: base 0xF0000, 64 KiB
        dw H_CALL, SEL_ROM, 0x8400, 0xffff ; SEL_CALLGATE: 286 call gate
gdt_end:
gdtr:   dw gdt_end - gdt - 1
        dd LIN(gdt)

%macro GATE32 1                 ; a 32-bit interrupt gate to SEL_ROM:%1
        dw %1, SEL_ROM, 0x8e00, 0
%endmacro
idt:    times 6 dq 0
        GATE32 H_UD             ; 6
        times 6 dq 0
        GATE32 H_GP             ; 13
        times 0x60 - 14 dq 0
        dw H_INT, SEL_ROM, 0x8600, 0xffff ; 0x60: 286 interrupt gate
idt_end:
idtr:   dw idt_end - idt - 1
        dd LIN(idt)

msg_hello:    db "firmware: protected mode", 10, 0
msg_int16:    db "int 0x60, 286 interrupt gate: reached by the low 16 bits", 0
msg_int32:    db "int 0x60, 286 interrupt gate: reached by all 32 bits", 10, 0
msg_call16:   db "call far, 286 call gate: reached by the low 16 bits", 0
msg_call32:   db "call far, 286 call gate: reached by all 32 bits", 10, 0
msg_frame:    db ", 16-bit frame ok", 0
msg_wrmsr:    db "wrmsr ", 0
msg_rdmsr:    db "rdmsr 00012345:", 0
msg_rdpmc0:   db "rdpmc 0 at cpl 0:", 0
msg_sysenter: db "sysenter, SYSENTER_CS 0:", 0
msg_sysexit:  db "sysexit, SYSENTER_CS 0:", 0
msg_ok:       db " ok", 0
msg_gp:       db " #GP(", 0
msg_ud:       db " #UD", 0
msg_done:     db "done", 10, 0
msg_shutdown: db "Shutdown", 0

        times 0x1fff0 - ($ - $$) db 0xff
        bits 16
reset:  jmp 0xf000:OFF(start)
        times 0x20000 - ($ - $$) db 0xff
