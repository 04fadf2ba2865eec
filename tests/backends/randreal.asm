; randreal: pseudo-random bytes run as 16-bit real-mode code (nasm -f bin
; -DSEED=n), for tests/backends/check.sh: every backend must end the run
; in the same state after the same number of instructions.
;
; The Multiboot entry (32-bit protected mode) sets up the PIC (IRQ0 at
; vector 8, the others masked), the PIT (IRQ0 in about 1.7 ms of virtual
; time), an IVT at 0x90000 whose 256 vectors lead to numbered stubs, and
; drops to real mode with IF set at 0000:7000, where 4 KiB of bytes from
; an LCG seeded with SEED were copied. Bytes that would stop the run
; without ending it are replaced before the run: CLI, HLT, POPF, IRET (IF
; stays set, so the timer always comes), OUT and OUTS (the PIC and PIT
; stay as set up), and the 0F 01 and 0F 22 forms (IDTR, CR0 and paging
; stay as they are).
;
; An exception or software interrupt is recovered: the stub counts it,
; skips one byte at the return address and IRETs, so the random code runs
; on through faults, far jumps and segment loads. IRQ0, the 2000th
; exception, or a #GP at IP 0xffff (an instruction past the 64 KiB CS
; limit, SDM 3A 20.1.3, where skipping a byte would wrap IP to 0 and run
; whatever lies there) ends the run: the handler prints the vector, the
; exception count, every register, the interrupted CS:IP and FLAGS, and a
; checksum of the first 64 KiB (which the code wrote into), then exits
; through isa-debug-exit (port 0xf4, status 1).
bits 32
org 0x100000

%ifndef SEED
%define SEED 1
%endif

MB_MAGIC equ 0x1BADB002
MB_FLAGS equ 0x00010003
CODE equ 0x7000                ; the random code, 0000:7000
IVT_SEG equ 0x9000             ; the IVT and the handler, 9000:0000
STUBS equ 0x400                ; 9000:0400, 8 bytes per vector
MAX_EXC equ 2000

load_start:
        jmp entry
align 4
mb_header:
        dd MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
        dd mb_header, load_start, load_end, bss_end, entry

entry:
        cli
        lgdt [gdtr]
        cld
        ; the random code
        mov esi, rnd
        mov edi, CODE
        mov ecx, rnd_end - rnd
        rep movsb
        ; the handler segment: IVT, stubs, common handler
        mov esi, hseg
        mov edi, IVT_SEG << 4
        mov ecx, hseg_end - hseg
        rep movsb
        ; the real-mode switch code
        mov esi, sw
        mov edi, 0x600
        mov ecx, sw_end - sw
        rep movsb
        ; PIC: ICW1-4, vector base 8 (as a PC BIOS leaves it), IRQ0 only
        mov al, 0x11
        out 0x20, al
        mov al, 0x08
        out 0x21, al
        mov al, 0x04
        out 0x21, al
        mov al, 0x01
        out 0x21, al
        mov al, 0xfe
        out 0x21, al
        ; PIT channel 0, mode 2, count 0x800
        mov al, 0x34
        out 0x43, al
        mov al, 0x00
        out 0x40, al
        mov al, 0x08
        out 0x40, al
        jmp 0x08:0x600

align 8
gdt:    dq 0
        dq 0x00009a000000ffff        ; 0x08: 16-bit code, base 0
        dq 0x000092000000ffff        ; 0x10: 16-bit data, base 0
gdtr:   dw 23
        dd gdt

; ---- copied to 0x600: protected mode -> real mode -> the random code ----
bits 16
sw:
        mov ax, 0x10
        mov ds, ax
        mov es, ax
        mov ss, ax
        mov fs, ax
        mov gs, ax
        mov eax, cr0
        and eax, ~1
        mov cr0, eax
        jmp 0:(0x600 + .rm - sw)
.rm:    xor ax, ax
        mov ds, ax
        mov es, ax
        mov fs, ax
        mov gs, ax
        mov ss, ax
        mov sp, 0x9000
        lidt [0x600 + ivtr - sw]
        mov eax, (0x12345678 ^ (SEED * 0x9e3779b9)) & 0xffffffff
        mov ebx, 0x00007010
        mov ecx, 0x9abcdef0
        xor edx, edx
        mov esi, 0x00000020
        mov edi, 0x00007100
        mov ebp, 0x00007200
        sti
        jmp 0:CODE
ivtr:   dw 0x3ff
        dd IVT_SEG << 4
sw_end:

; ---- copied to 9000:0000: IVT, stubs, handler ----
align 16
hseg:
%assign v 0
%rep 256
        dw STUBS + v * 8, IVT_SEG
%assign v v + 1
%endrep
        times STUBS - ($ - hseg) db 0
%assign v 0
%rep 256
        push word v
        jmp near handler
        align 8, db 0x90
%assign v v + 1
%endrep
; the stack: [vector] [ip] [cs] [flags]
handler:
        push bp
        mov bp, sp
        cmp word [ss:bp + 2], 8
        je .dump
        inc word [cs:exc_count - hseg]
        cmp word [cs:exc_count - hseg], MAX_EXC
        jae .dump
        cmp word [ss:bp + 2], 13
        jne .skip
        ; #GP at IP 0xffff: an instruction that runs past the 64 KiB CS
        ; limit. Skipping a byte would wrap IP to 0 and run whatever lies
        ; there (code at 0000:7000 may have been overwritten by now too):
        ; the run ends here
        cmp word [ss:bp + 4], 0xffff
        je .dump
.skip:  inc word [ss:bp + 4]           ; skip one byte
        pop bp
        add sp, 2
        iret
.dump:
        pop bp
        pushad                         ; +0 edi esi ebp esp ebx edx ecx eax
        push ds
        push es
        push fs
        push gs
        push ss
        mov bp, sp
        mov ax, cs
        mov ds, ax
        mov si, msg_v - hseg
        call puts
        mov ax, [ss:bp + 42]           ; vector
        call hex16
        mov si, msg_n - hseg
        call puts
        mov ax, [exc_count - hseg]
        call hex16
        call nl
        ; eax ecx edx ebx esp ebp esi edi, as pushad stored them
        mov si, 38
.regs:  mov eax, [ss:bp + si]
        call hex32
        call space
        sub si, 4
        cmp si, 10
        jae .regs
        call nl
        ; ds es fs gs ss
        mov si, 8
.segs:  mov ax, [ss:bp + si]
        call hex16
        call space
        sub si, 2
        jns .segs
        ; cs:ip flags (IF is set throughout, AF etc. as left)
        mov ax, [ss:bp + 46]
        call hex16
        mov al, ':'
        call putc
        mov ax, [ss:bp + 44]
        call hex16
        call space
        mov ax, [ss:bp + 48]
        call hex16
        call nl
        ; checksum of 0000:0000-FFFF (words, rotate-xor)
        xor ax, ax
        mov es, ax
        xor si, si
        xor edx, edx
.sum:   movzx eax, word [es:si]
        rol edx, 5
        xor edx, eax
        add si, 2
        jnz .sum
        mov si, msg_sum - hseg
        call puts
        mov eax, edx
        call hex32
        call nl
        mov al, 0
        out 0xf4, al
.hang:  jmp .hang

hex32:  push eax
        shr eax, 16
        call hex16
        pop eax
hex16:  push ax
        mov al, ah
        call hex8
        pop ax
hex8:   push ax
        shr al, 4
        call hexd
        pop ax
hexd:   push ax
        and al, 15
        add al, '0'
        cmp al, '9'
        jbe .p
        add al, 'a' - '9' - 1
.p:     call putc
        pop ax
        ret
space:  mov al, ' '
        jmp putc
nl:     mov al, 10
putc:   push dx
        push ax
        mov dx, 0x3fd
.w:     in al, dx
        test al, 0x20
        jz .w
        pop ax
        mov dx, 0x3f8
        out dx, al
        pop dx
        ret
puts:   lodsb
        test al, al
        jz .d
        call putc
        jmp puts
.d:     ret
msg_v:  db "vector ", 0
msg_n:  db " exceptions ", 0
msg_sum: db "memory ", 0
exc_count: dw 0
hseg_end:

; ---- the random bytes ----
rnd:
%assign x SEED
%assign prev 0
%rep 4096
%assign x (x * 69069 + 1) & 0xffffffff
%assign c (x >> 24)
%if c == 0xfa || c == 0xf4 || c == 0x9d || c == 0xcf
%assign c 0x90
%elif c == 0xe6 || c == 0xe7 || c == 0xee || c == 0xef || c == 0x6e || c == 0x6f
%assign c 0x90
%elif prev == 0x0f && (c == 0x01 || c == 0x22)
%assign c 0xb6
%endif
        db c
%assign prev c
%endrep
rnd_end:
load_end:
bss_end equ load_end + 4096
