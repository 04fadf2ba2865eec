; vm86: the assembly half of vm86.c.  Ring-0 entry and exit of the
; sessions (a virtual-8086 task entered by IRET with VM set, or 32-bit
; code at CPL 3), the 16-bit code the virtual-8086 sessions run, and the
; 32-bit code the ring-3 sessions run.
;
; A session starts with vm86_run or ring3_run (saving the caller's state)
; and ends when the monitor's #GP handler sees HLT, which is privileged at
; CPL 3 and in virtual-8086 mode: it turns the frame into an IRET to
; session_end at ring 0, which restores the caller.
bits 32

SEL_CODE3 equ 0x53              ; GDT entry 10, DPL 3, RPL 3
SEL_DATA3 equ 0x5b              ; GDT entry 11, DPL 3, RPL 3

V86_BASE equ 0x10000            ; where v86_start is copied (CS = 0x1000)
V86_CS equ V86_BASE >> 4
V86_ES equ 0x2100
V86_DS equ 0x2000
V86_FS equ 0x2200
V86_GS equ 0x2300
V86_SS equ 0x2400
V86_SP equ 0x1000
%define OFF(x) ((x) - v86_start)

section .data
saved_esp: dd 0
r3_res: db 0, 0, 0, 0

section .bss
alignb 16
        resb 4096
ring3_stack_top:

section .text
; void vm86_run(uint32_t ip, uint32_t eflags): IRET from ring 0 into a
; virtual-8086 task at V86_CS:ip (eflags has VM set); the 32-bit frame is
; EIP CS EFLAGS ESP SS ES DS FS GS (SDM 3A 20.2.1, SDM 2 IRET).
global vm86_run
vm86_run:
        pushad
        mov [saved_esp], esp
        mov eax, [esp + 36]
        mov ebx, [esp + 40]
        push dword V86_GS
        push dword V86_FS
        push dword V86_DS
        push dword V86_ES
        push dword V86_SS
        push dword V86_SP
        push ebx
        push dword V86_CS
        push eax
        iretd

; void ring3_run(void (*fn)(void), uint32_t eflags): IRET to fn at CPL 3,
; flat ring-3 code and data segments.
global ring3_run
ring3_run:
        pushad
        mov [saved_esp], esp
        mov eax, [esp + 36]
        mov ebx, [esp + 40]
        mov cx, SEL_DATA3
        mov ds, cx
        mov es, cx
        mov fs, cx
        mov gs, cx
        push dword SEL_DATA3
        push dword ring3_stack_top
        push ebx
        push dword SEL_CODE3
        push eax
        iretd

; Reached by an IRET from the monitor at ring 0, on the TSS's ring-0 stack.
global session_end
session_end:
        mov ax, 0x10
        mov ds, ax
        mov es, ax
        mov fs, ax
        mov gs, ax
        mov ss, ax
        mov esp, [saved_esp]
        popad
        ret

; ---------------------------------------------------------------------------
; Ring-3 code (CPL 3, flat): I/O and IOPL-sensitive instructions.  Which of
; them fault depends on IOPL and on the I/O permission bitmap.
global r3_io, r3_res
r3_io:
        in al, 0xa1                   ; allowed by the bitmap
        in al, 0x21                   ; denied by the bitmap
        mov [r3_res], al
        mov dx, 0x8f
        out dx, ax                    ; 0x8f allowed, 0x90 (next map byte) denied
        out dx, al                    ; allowed
        cli                           ; CPL <= IOPL or #GP(0)
        sti
        cld
        mov edi, r3_res + 1
        mov dx, 0x21
        insb                          ; denied by the bitmap
        mov dx, 0xa1
        insb                          ; allowed
        hlt                           ; privileged: ends the session

; ---------------------------------------------------------------------------
; Copied to V86_BASE and run in virtual-8086 mode, CS = V86_CS, DS = V86_DS
; (results at DS:R_*), ES = V86_ES, SS:SP = V86_SS:V86_SP.
R_IN equ 0x00                   ; byte
R_INDX equ 0x01                 ; byte
R_CX equ 0x02                   ; word
R_FL1 equ 0x04                  ; dword
R_FL2 equ 0x08
R_FL3 equ 0x0c
R_AX equ 0x10                   ; word
R_SEGS equ 0x12                 ; 4 words: ES DS FS GS after INT 40h
R_IRET equ 0x1a                 ; byte
R_OUTS equ 0x20                 ; 2 bytes, source of OUTSB
R_INS equ 0x00                  ; ES:R_INS, 2 bytes written by INSB

bits 16
global v86_start, v86_end, v86_io, v86_sens0, v86_sens3, v86_in_a1
v86_start:

; I/O in virtual-8086 mode: the bitmap alone decides (not IOPL).
v86_io:
        in al, 0xa1                   ; allowed: PIC 2 mask, 0xff
        mov [R_IN], al
        in al, 0x61                   ; denied -> #GP(0)
        mov dx, 0xa1
        in al, dx                     ; allowed
        mov [R_INDX], al
        out 0x87, ax                  ; 0x87 and 0x88 over two map bytes, allowed
        out 0x8f, ax                  ; 0x8f allowed, 0x90 denied -> #GP(0)
        out 0x8f, al                  ; allowed
        mov dx, 0x8e
        out dx, eax                   ; 0x8e..0x91: 0x90 denied -> #GP(0)
        cld
        mov di, R_INS
        mov dx, 0xa1
        insb                          ; allowed: ES:0 = 0xff
        mov dx, 0x61
        insb                          ; denied -> #GP(0)
        mov si, R_OUTS
        mov dx, 0x87
        mov cx, 2
        rep outsb                     ; allowed
        mov [R_CX], cx
        mov dx, 0x90
        outsb                         ; denied -> #GP(0)
        hlt

; The IOPL-sensitive instructions with IOPL < 3: each is #GP(0) to the
; monitor, which skips it.  INT3 and INTO are not IOPL-sensitive: they go
; through their (DPL 3) gates to ring 0.  A #DE is delivered to ring 0.
v86_sens0:
        cli
        sti
        pushf
        popf
        pushfd
        popfd
        int 0x40
        iret
        int3
        mov al, 0x7f
        add al, 1                     ; OF = 1
        into
        xor ax, ax
        mov bl, 0
        div bl                        ; #DE
        hlt

; IOPL 3: CLI, STI, PUSHF, POPF, INT n and IRET run.
v86_sens3:
        cli
        pushfd
        pop eax
        mov [R_FL1], eax
        sti
        pushfd
        pop eax
        mov [R_FL2], eax
        push dword 0x00000046         ; IOPL 0, IF 0, ZF PF: IOPL stays 3
        popfd
        pushfd
        pop eax
        mov [R_FL3], eax
        mov ax, 0x1111
        int 0x40                      ; to the ring-0 handler, which sets AX
        mov [R_AX], ax
        mov [R_SEGS], es
        mov [R_SEGS + 2], ds
        mov [R_SEGS + 4], fs
        mov [R_SEGS + 6], gs
        pushf
        push cs
        push word OFF(.after)
        iret                          ; IOPL 3: a real-mode style IRET
        hlt
.after: mov byte [R_IRET], 1
        int 0x41                      ; gate DPL 0 -> #GP(0x41*8+2)
        int 0x42                      ; gate to a DPL 3 code segment -> #GP(sel)
        int 0x43                      ; gate to a DPL 1 code segment -> #GP(sel)
        in al, 0x61                   ; still denied by the bitmap
        hlt

; One allowed port, for the bitmap-limit cases.
v86_in_a1:
        in al, 0xa1
        hlt
v86_end:

section .note.GNU-stack noalloc noexec nowrite progbits
