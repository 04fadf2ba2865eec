; vbe.asm - a hard disk boot sector that uses VBE through INT 10h AH=4Fh:
; the controller information (4F00h, asking for "VBE2"), the mode list
; searched with 4F01h for 800x600 in 32 bpp (the mode numbers are each
; BIOS's own, so only what the mode information says is printed), the
; mode set with the linear framebuffer (4F02h, bit 14), the current mode
; (4F03h), the scan line length (4F06h), the display start (4F07h) and
; the bank (4F05h); then pixels drawn into the framebuffer at
; PhysBasePtr from big real mode (FS with a 4 GiB limit) and read back
; there and through the A0000h window, and the DISPI registers the mode
; left; at the end mode 3 again. What the calls return goes to the debug
; console; QEMU with SeaBIOS and its VGA BIOS (-vga std, the same Bochs
; VBE interface, its framebuffer a PCI BAR elsewhere) agrees.
bits 16
org 0x7c00

%define STAGE2_SECTORS 3 ; sectors 2-4 at 0000:7E00
%include "boot.inc"

INFO equ 0x1000  ; VbeInfoBlock, 512 bytes
MINFO equ 0x1400 ; ModeInfoBlock, 256 bytes

main:
    ; 4F00h with "VBE2"
    mov dword [INFO], 'VBE2'
    mov ax, 0x4f00
    mov di, INFO
    int 0x10
    PRINT '4f00: ax='
    call hex16
    PRINT ' sig='
    mov eax, [INFO]
    cmp eax, 'VESA'
    je .sig_ok
    PRINT 'bad'
    jmp .sig_done
.sig_ok:
    PRINT 'VESA'
.sig_done:
    PRINT ' version>=2.0:'
    cmp word [INFO + 4], 0x0200
    call yes_ae
    PRINT ' 16MiB:'
    cmp word [INFO + 18], 256
    call yes_ae
    call nl

    ; walk the mode list for 800x600x32
    mov word [found], 0xffff
    push ds
    lds si, [INFO + 14]
.walk:
    lodsw
    cmp ax, 0xffff
    je .walked
    mov cx, ax
    push ds
    push si
    xor bx, bx
    mov ds, bx
    push cx
    mov ax, 0x4f01
    mov di, MINFO
    int 0x10
    pop cx
    cmp ax, 0x004f
    jne .next
    cmp word [MINFO + 18], 800
    jne .next
    cmp word [MINFO + 20], 600
    jne .next
    cmp byte [MINFO + 25], 32
    jne .next
    mov [found], cx
    pop si
    pop ds
    jmp .walked
.next:
    pop si
    pop ds
    jmp .walk
.walked:
    pop ds
    cmp word [found], 0xffff
    jne .have
    PRINT 'no 800x600x32 mode'
    call nl
    jmp exit
.have:
    ; its mode information again
    mov cx, [found]
    mov ax, 0x4f01
    mov di, MINFO
    int 0x10
    PRINT '4f01: ax='
    call hex16
    PRINT ' attr&99='
    mov ax, [MINFO]
    and ax, 0x99
    call hex16
    PRINT ' pitch='
    mov ax, [MINFO + 16]
    call hex16
    PRINT ' model='
    mov al, [MINFO + 27]
    call hex8
    PRINT ' r='
    mov al, [MINFO + 31]
    call hex8
    mov al, [MINFO + 32]
    call hex8
    PRINT ' g='
    mov al, [MINFO + 33]
    call hex8
    mov al, [MINFO + 34]
    call hex8
    PRINT ' b='
    mov al, [MINFO + 35]
    call hex8
    mov al, [MINFO + 36]
    call hex8
    PRINT ' winseg='
    mov ax, [MINFO + 8]
    call hex16
    PRINT ' lfb!=0:'
    cmp dword [MINFO + 40], 0
    call yes_ne
    call nl

    ; set it with the framebuffer
    mov bx, [found]
    or bx, 0x4000
    mov ax, 0x4f02
    int 0x10
    PRINT '4f02: ax='
    call hex16
    mov ax, 0x4f03
    int 0x10
    PRINT ' 4f03: ax='
    call hex16
    PRINT ' bx=found|4000:'
    mov cx, [found]
    or cx, 0x4000
    cmp bx, cx
    call yes_e
    call nl

    ; the scan line length, the display start, the bank
    mov ax, 0x4f06
    mov bl, 1
    int 0x10
    PRINT '4f06: ax='
    call hex16
    PRINT ' bx='
    mov ax, bx
    call hex16
    PRINT ' cx='
    mov ax, cx
    call hex16
    call nl
    mov ax, 0x4f07
    xor bx, bx
    mov cx, 0
    mov dx, 10
    int 0x10
    PRINT '4f07: ax='
    call hex16
    mov ax, 0x4f07
    mov bx, 1
    int 0x10
    PRINT ' get cx='
    mov ax, cx
    call hex16
    PRINT ' dx='
    mov ax, dx
    call hex16
    call nl
    mov ax, 0x4f07
    xor bx, bx
    xor cx, cx
    xor dx, dx
    int 0x10
    ; (SeaBIOS's VGA BIOS sets and reads the bank but returns AX=0305h,
    ; not the spec's 004Fh: only the bank read back is printed)
    mov ax, 0x4f05
    xor bx, bx
    mov dx, 2
    int 0x10
    mov ax, 0x4f05
    mov bx, 0x0100
    int 0x10
    PRINT '4f05: get dx='
    mov ax, dx
    call hex16
    call nl
    mov ax, 0x4f05
    xor bx, bx
    xor dx, dx
    int 0x10

    ; draw into the framebuffer from big real mode
    call unreal
    mov edi, [MINFO + 40]
    mov dword [fs:edi], 0x00ff8040
    mov dword [fs:edi + 3200 * 2 + 4 * 5], 0x00123456
    mov eax, [fs:edi + 3200 * 2 + 4 * 5]
    PRINT 'lfb: '
    call hex32
    push es
    mov ax, 0xa000
    mov es, ax
    mov eax, [es:0]
    pop es
    PRINT ' window: '
    call hex32
    call nl

    ; the DISPI registers
    PRINT 'dispi:'
    xor cx, cx
.dispi:
    mov dx, 0x1ce
    mov ax, cx
    inc ax
    out dx, ax
    inc dx
    in ax, dx
    push ax
    mov al, ' '
    call putc
    pop ax
    call hex16
    inc cx
    cmp cx, 4
    jb .dispi
    call nl

    ; back to mode 3
    mov ax, 0x0003
    int 0x10
    mov ax, 0x4f03
    int 0x10
    PRINT 'mode 3: 4f03 bx='
    mov ax, bx
    call hex16
    mov dx, 0x1ce
    mov ax, 4
    out dx, ax
    inc dx
    in ax, dx
    PRINT ' dispi enable='
    call hex16
    call nl
    jmp exit

; print yes/no from the flags of a CMP
yes_ae:
    jae yes
    jmp no
yes_e:
    je yes
    jmp no
yes_ne:
    jne yes
no:
    PRINT 'no'
    ret
yes:
    PRINT 'yes'
    ret

; unreal: FS with base 0 and a 4 GiB limit, back in real mode
unreal:
    cli
    push eax
    lgdt [gdtr]
    mov eax, cr0
    or al, 1
    mov cr0, eax
    jmp $+2
    mov ax, 0x08
    mov fs, ax
    mov eax, cr0
    and al, 0xfe
    mov cr0, eax
    jmp $+2
    xor ax, ax
    mov fs, ax
    pop eax
    sti
    ret

align 8
gdt: dq 0
     dq 0x00cf92000000ffff
gdtr: dw 15
      dd gdt

found: dw 0

times 2048-($-$$) db 0
times 512 * 64 - ($ - $$) db 0
