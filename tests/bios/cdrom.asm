; cdrom.asm - a CD image (-cdrom, -boot d) made by hand: the ISO 9660
; volume descriptors (primary at sector 16, the El Torito boot record at
; 17, the terminator at 18), the boot catalog at 19 with a no-emulation
; initial entry, and the boot image at 20 ("El Torito" Bootable CD-ROM
; Format Specification 1.0). The boot image tests what a CD loader
; (isolinux) uses: DL, INT 13h 41h/48h/42h on 2048-byte sectors, and the
; AX=4B01h specification packet. Results on the debug console.
bits 16

SECTOR equ 2048
CATALOG equ 19
IMAGE equ 20
NSECT equ 32

; ---- sectors 0-15: the system area ----
times 16 * SECTOR db 0

; ---- 16: primary volume descriptor (ISO 9660 8.4), the fields a reader
; checks: type, id, version, the volume size, the block size ----
pvd:
db 1, "CD001", 1, 0
times 32 db ' '                 ; system identifier
db "JET86_BIOS_TEST"
times 32 - 15 db ' '            ; volume identifier
times 8 db 0
dd NSECT
dd 0                            ; (big-endian copy: unused here)
times 120 - ($ - pvd) db 0
dw 1, 0                         ; volume set size
dw 1, 0                         ; volume sequence number
dw SECTOR, 0                    ; logical block size (little-endian half)
times 881 - ($ - pvd) db 0
db 1                            ; file structure version
times SECTOR - ($ - pvd) db 0

; ---- 17: the boot record volume descriptor (El Torito 2.0) ----
brvd:
db 0, "CD001", 1
db "EL TORITO SPECIFICATION"
times 0x47 - ($ - brvd) db 0
dd CATALOG
times SECTOR - ($ - brvd) db 0

; ---- 18: the volume descriptor set terminator ----
db 255, "CD001", 1
times SECTOR - 7 db 0

; ---- 19: the boot catalog (El Torito 2.1, 2.2): the validation entry
; (header 1, platform 0: 80x86, a checksum making its 16 words sum to
; zero, key 55h AAh) and the initial entry (bootable, no emulation, load
; segment 0: 07C0h, 4 virtual sectors, the image's sector) ----
catalog:
db 1, 0
dw 0
times 24 db 0
dw 0x55aa                       ; -(0x0001 + 0xAA55) mod 0x10000
db 0x55, 0xaa
db 0x88, 0
dw 0
db 0, 0
dw 4
dd IMAGE
times SECTOR - ($ - catalog) db 0

; ---- 20: the boot image, loaded at 07C0:0000 ----
image:
[section .img vstart=0x7c00]
%include "boot.inc"
    PRINT 'cd boot: dl='
    mov al, dl
    call hex8
    call nl

    PRINT 'int13 41:'
    mov ah, 0x41
    mov bx, 0x55aa
    mov dl, [drive]
    int 0x13
    call printcf
    PRINT ' bx='
    mov ax, bx
    call hex16
    call nl

    PRINT 'int13 48:'
    mov word [params], 0x1a
    mov ah, 0x48
    mov dl, [drive]
    mov si, params
    int 0x13
    call printcf
    PRINT ' bytes='
    mov ax, [params + 24]
    call hex16
    call nl

    PRINT 'int13 42 sector 21:'
    mov word [dap.count], 1
    mov word [dap.off], 0x1000
    mov word [dap.seg], 0
    mov dword [dap.lba], 21
    mov ah, 0x42
    mov dl, [drive]
    mov si, dap
    int 0x13
    call printcf
    PRINT ' data='
    mov byte [0x1000 + 15], 0
    mov si, 0x1000
    call puts
    PRINT ' tail='
    mov byte [0x1000 + 2047], 0
    mov si, 0x1000 + 2040
    call puts
    call nl

    PRINT 'int13 4b01:'
    mov ax, 0x4b01
    mov dl, [drive]
    mov si, spec
    int 0x13
    call printcf
    PRINT ' size='
    mov al, [spec]
    call hex8
    PRINT ' media='
    mov al, [spec + 1]
    call hex8
    PRINT ' drive='
    mov al, [spec + 2]
    call hex8
    PRINT ' lba='
    mov eax, [spec + 4]
    call hex32
    PRINT ' seg='
    mov ax, [spec + 12]
    call hex16
    PRINT ' count='
    mov ax, [spec + 14]
    call hex16
    call nl
    call exit

align 4
dap:
.size: db 0x10
.res: db 0
.count: dw 0
.off: dw 0
.seg: dw 0
.lba: dq 0
params: times 0x1e db 0
spec: times 0x14 db 0
    times SECTOR - ($ - $$) db 0
[section .data21 follows=.img]
; ---- 21: data, text at its start and its end ----
    db "CD-SECTOR-21", 0
    times SECTOR - 8 - ($ - $$) db 0
    db "THE-END", 0
    times (NSECT - 22) * SECTOR db 0
