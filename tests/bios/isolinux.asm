; isolinux.asm - the boot sector that Debian's ISOLINUX (the isolinux and
; syslinux-common packages) chain-loads from a CD image made by xorriso
; (mkiso.sh builds isolinux.img): ISOLINUX itself runs on the BIOS's
; El Torito boot, INT 13h EDD reads of 2048-byte sectors, AX=4B01h and
; INT 10h/16h/1Ah, prints its banner on COM1 (isolinux.com1) and loads
; this file (hello.bs: a .bs is a boot sector) to 0000:7C00. Here the CD
; is read again through the BIOS: its primary volume descriptor.
; isolinux.com1 holds two sources: the first banner line ISOLINUX writes
; with INT 10h teletype before it reads its configuration (the BIOS's
; serial mirror: SeaBIOS's serial console under qemu -nographic shows it
; too), then the lines it writes to the UART itself after "SERIAL 0"
; (qemu -display none -serial file: shows exactly these).
bits 16
org 0x7c00

%include "boot.inc"
    PRINT 'chain-loaded by ISOLINUX'
    call nl
    ; the boot drive from the El Torito status (ISOLINUX's DL is its own)
    mov ax, 0x4b01
    mov dl, 0xe0
    mov si, spec
    int 0x13
    call printcf
    PRINT ' drive='
    mov al, [spec + 2]
    call hex8
    call nl
    ; sector 16 of the CD: the primary volume descriptor
    mov ah, 0x42
    mov dl, [spec + 2]
    mov si, dap
    int 0x13
    call printcf
    PRINT ' sector 16: type='
    mov al, [0x1000]
    call hex8
    mov byte [0x1000 + 6], 0
    PRINT ' id='
    mov si, 0x1001
    call puts
    call nl
    call exit

dap: db 0x10, 0
    dw 1, 0x1000, 0
    dq 16
spec: times 0x14 db 0

BOOT_SIGNATURE
