; disk.asm - a hard disk image (-hda, 4032 sectors: 4 cylinders of 16
; heads and 63 sectors) whose boot sector loads the rest of the program
; with INT 13h AH=02h and tests the BIOS services a boot loader uses:
; INT 13h CHS and EDD (41h, 42h, 43h, 48h), 08h, 15h, 01h, bad drives;
; INT 12h, INT 15h (E820, E801, 88h, 86h, C0h), INT 1Ah ticks, INT 16h
; and INT 10h (mode, cursor, teletype). Results on the debug console.
; The E820 map differs between firmwares (SeaBIOS keeps the top 128 KiB
; of RAM for ACPI tables), so only its shape is printed. The sector it
; writes (LBA 30) is checked in the image file after the run (run.sh).
bits 16
org 0x7c00

NSECT equ 8                     ; sectors of stage 2
%define STAGE2_SECTORS NSECT
%include "boot.inc"

; ---------------- stage 2 (LBA 1..NSECT) ----------------
main:
    PRINT 'boot: dl='
    mov al, [drive]
    call hex8
    call nl
    PRINT 'stage 2 loaded, al='
    ; AL after the read: the count (the call above)
    mov al, NSECT
    call hex8
    call nl

    ; ---- INT 13h AH=08h: geometry ----
    PRINT 'int13 08:'
    mov ah, 0x08
    mov dl, [drive]
    xor di, di
    int 0x13
    call printcf
    PRINT ' ah='
    mov al, ah
    call hex8
    PRINT ' cx='
    mov ax, cx
    call hex16
    PRINT ' dx='
    mov ax, dx
    call hex16
    call nl

    ; ---- AH=15h: type and size ----
    PRINT 'int13 15:'
    mov ah, 0x15
    mov dl, [drive]
    int 0x13
    call printcf
    PRINT ' ah='
    mov al, ah
    call hex8
    PRINT ' cx:dx='
    mov ax, cx
    call hex16
    mov ax, dx
    call hex16
    call nl

    ; ---- AH=41h: EDD installation check ----
    PRINT 'int13 41:'
    mov ah, 0x41
    mov bx, 0x55aa
    mov dl, [drive]
    int 0x13
    call printcf
    PRINT ' bx='
    mov ax, bx
    call hex16
    PRINT ' packet-api='
    mov al, cl
    and al, 1
    call hex8
    call nl

    ; ---- AH=42h: read LBA 20 to 0x1000:0 ----
    PRINT 'int13 42:'
    mov word [dap.count], 1
    mov word [dap.off], 0
    mov word [dap.seg], 0x1000
    mov dword [dap.lba], 20
    mov ah, 0x42
    mov dl, [drive]
    mov si, dap
    int 0x13
    call printcf
    PRINT ' count='
    mov ax, [dap.count]
    call hex16
    PRINT ' data='
    push ds
    mov ax, 0x1000
    mov ds, ax
    xor si, si
    mov byte [ds:15], 0
    call puts
    pop ds
    call nl

    ; ---- CHS read of the same sector: LBA 20 = C0 H0 S21 ----
    PRINT 'int13 02 chs 0/0/21:'
    mov ax, 0x2000
    mov es, ax
    xor bx, bx
    mov ax, 0x0201
    mov cx, 21
    xor dh, dh
    mov dl, [drive]
    int 0x13
    call printcf
    PRINT ' data='
    push ds
    mov ax, 0x2000
    mov ds, ax
    xor si, si
    mov byte [ds:15], 0
    call puts
    pop ds
    call nl
    xor ax, ax
    mov es, ax

    ; ---- LBA 1000 = C0 H15 S56 + ... : 1000 = (0*16+15)*63+55: C0 H15 S56
    PRINT 'int13 02 chs 0/15/56:'
    mov ax, 0x2000
    mov es, ax
    xor bx, bx
    mov ax, 0x0201
    mov cx, 56
    mov dh, 15
    mov dl, [drive]
    int 0x13
    call printcf
    PRINT ' data='
    push ds
    mov ax, 0x2000
    mov ds, ax
    xor si, si
    mov byte [ds:15], 0
    call puts
    pop ds
    call nl
    xor ax, ax
    mov es, ax

    ; ---- AH=43h: write LBA 30 from a pattern, read it back by CHS ----
    PRINT 'int13 43:'
    mov di, 0x3000
    mov cx, 512
    mov al, 'W'
    rep stosb
    mov si, s_written
    mov di, 0x3000
    mov cx, 16
    rep movsb
    mov word [dap.count], 1
    mov word [dap.off], 0x3000
    mov word [dap.seg], 0
    mov dword [dap.lba], 30
    mov ah, 0x43
    xor al, al
    mov dl, [drive]
    mov si, dap
    int 0x13
    call printcf
    ; read back LBA 30 = C0 H0 S31 to 0x4000
    mov ax, 0x0201
    mov cx, 31
    xor dh, dh
    mov dl, [drive]
    mov bx, 0x4000
    int 0x13
    mov si, 0x3000
    mov di, 0x4000
    mov cx, 512
    repe cmpsb
    jne .differs
    PRINT ' read back: same'
    jmp .wdone
.differs:
    PRINT ' read back: DIFFERS'
.wdone:
    call nl

    ; ---- AH=48h: drive parameters ----
    PRINT 'int13 48:'
    mov word [params], 0x1a
    mov ah, 0x48
    mov dl, [drive]
    mov si, params
    int 0x13
    call printcf
    PRINT ' sectors='
    mov eax, [params + 16]
    call hex32
    PRINT ' bytes='
    mov ax, [params + 24]
    call hex16
    call nl

    ; ---- errors: past the end, a drive that is not there ----
    PRINT 'int13 42 past end:'
    mov word [dap.count], 1
    mov word [dap.off], 0x3000
    mov word [dap.seg], 0
    mov dword [dap.lba], 5000
    mov ah, 0x42
    mov dl, [drive]
    mov si, dap
    int 0x13
    call printcf
    call nl
    PRINT 'int13 02 drive 85h:'
    mov ax, 0x0201
    mov cx, 1
    xor dh, dh
    mov dl, 0x85
    mov bx, 0x3000
    int 0x13
    call printcf
    PRINT ' ah='
    mov al, ah
    call hex8
    call nl
    PRINT 'int13 00 reset:'
    mov ah, 0
    mov dl, [drive]
    int 0x13
    call printcf
    PRINT ' ah='
    mov al, ah
    call hex8
    call nl

    ; ---- memory ----
    PRINT 'int12: ax='
    int 0x12
    call hex16
    call nl
    PRINT 'int15 88:'
    mov ah, 0x88
    int 0x15
    call printcf
    PRINT ' ax='
    call hex16
    call nl
    PRINT 'int15 e801:'
    mov ax, 0xe801
    int 0x15
    call printcf
    PRINT ' ax='
    call hex16
    PRINT ' cx='
    mov ax, cx
    call hex16
    call nl
    call e820

    ; ---- INT 15h AH=C0h: configuration table ----
    PRINT 'int15 c0:'
    mov ah, 0xc0
    int 0x15
    call printcf
    PRINT ' model='
    mov al, [es:bx + 2]
    call hex8
    call nl
    xor ax, ax
    mov es, ax

    ; ---- INT 1Ah ticks and INT 15h AH=86h wait: 0.5 s is 9.1 ticks; SeaBIOS
    ; under QEMU times it with another clock, and its idle time follows the
    ; host's: 8 to 11 ticks were seen ----
    mov ah, 0
    int 0x1a
    mov [t0], dx
    mov ah, 0x86
    mov cx, 0x0007
    mov dx, 0xa120         ; 500000 us
    int 0x15
    pushf
    mov ah, 0
    int 0x1a
    sub dx, [t0]
    popf
    PRINT 'int15 86 wait 0.5 s:'
    call printcf
    PRINT ' ticks 7-14: '
    cmp dx, 7
    jb .bad
    cmp dx, 14
    ja .bad
    PRINT 'yes'
    jmp .tdone
.bad:
    PRINT 'no '
    mov ax, dx
    call hex16
.tdone:
    call nl

    ; ---- INT 16h: no key waiting ----
    PRINT 'int16 01: zf='
    mov ah, 0x01
    int 0x16
    mov al, '0'
    jnz .nz
    mov al, '1'
.nz:
    call putc
    call nl

    ; ---- INT 16h AH=05h stores a key, AH=01h sees it, AH=00h takes it ----
    PRINT 'int16 05:'
    mov ah, 0x05
    mov cx, 0x1e61              ; 'a' with its scan code
    int 0x16
    PRINT ' al='
    call hex8
    mov ah, 0x01
    int 0x16
    PRINT ' 01: ax='
    call hex16
    mov ah, 0x00
    int 0x16
    PRINT ' 00: ax='
    call hex16
    mov ah, 0x01
    int 0x16
    PRINT ' then zf='
    mov al, '0'
    jnz .nz2
    mov al, '1'
.nz2:
    call putc
    call nl

    ; ---- INT 10h ----
    PRINT 'int10 0f: ax='
    mov ah, 0x0f
    int 0x10
    call hex16
    PRINT ' bh='
    mov al, bh
    call hex8
    call nl
    mov ah, 0x02
    xor bh, bh
    mov dx, 0x050a
    int 0x10
    mov ah, 0x03
    xor bh, bh
    int 0x10
    PRINT 'int10 02/03: dx='
    mov ax, dx
    call hex16
    call nl
    PRINT 'done'
    call nl
    call exit

; E820: walk the map; print how many entries, whether the first is RAM
; from 0 and whether RAM starts at 1 MiB.
e820:
    xor ebx, ebx
    xor bp, bp                 ; entries
    mov byte [lowok], 0
    mov byte [highok], 0
.next:
    mov eax, 0xe820
    mov edx, 0x534d4150
    mov ecx, 20
    mov di, e820buf
    int 0x15
    jc .end
    cmp eax, 0x534d4150
    jne .end
    inc bp
    cmp dword [e820buf + 16], 1
    jne .cont
    cmp dword [e820buf], 0
    jne .high
    cmp dword [e820buf + 8], 0x9f000
    jb .cont
    mov byte [lowok], 1
    jmp .cont
.high:
    cmp dword [e820buf], 0x100000
    jne .cont
    mov byte [highok], 1
.cont:
    test ebx, ebx
    jnz .next
.end:
    PRINT 'e820: entries>=4 '
    mov al, 'n'
    cmp bp, 4
    jb .p1
    mov al, 'y'
.p1:
    call putc
    PRINT ' ram-at-0 '
    mov al, [lowok]
    add al, '0'
    call putc
    PRINT ' ram-at-1M '
    mov al, [highok]
    add al, '0'
    call putc
    call nl
    ret

s_written: db "WRITTEN-BY-GUEST"
lowok: db 0
highok: db 0
t0: dw 0
align 4
dap:
.size: db 0x10
.res: db 0
.count: dw 0
.off: dw 0
.seg: dw 0
.lba: dq 0
params: times 0x1e db 0
e820buf: times 24 db 0

times 512 * (1 + NSECT) - ($ - $$) db 0
; ---- data sectors ----
times 512 * 20 - ($ - $$) db 0
db "DATA-SECTOR-20", 0
times 512 * 30 - ($ - $$) db 0
db "ORIGINAL-30", 0
times 512 * 1000 - ($ - $$) db 0
db "DATA-SECT-1000", 0
times 512 * 4032 - ($ - $$) db 0
