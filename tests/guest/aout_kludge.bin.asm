; aout_kludge: a flat-binary kernel booted through the Multiboot "a.out
; kludge" (header flag bit 16: the load addresses come from the header,
; Multiboot 0.6.96 section 3.1.3).  It checks the magic in EAX, that the
; loader zeroed the bss area named by bss_end_addr and that its data were
; loaded where load_addr says, prints the results on COM1 and exits through
; isa-debug-exit.  Needs nothing but nasm -f bin.
bits 32
org 0x100000

MB_MAGIC equ 0x1BADB002
MB_FLAGS equ 0x00010003
BSS_SIZE equ 8192

load_start:
        jmp entry
align 4
mb_header:
        dd MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
        dd mb_header                   ; header_addr
        dd load_start                  ; load_addr
        dd load_end                    ; load_end_addr
        dd bss_end                     ; bss_end_addr
        dd entry                       ; entry_addr

entry:
        cli
        mov esp, stack_top
        mov [boot_magic], eax
        mov esi, msg_hello
        call puts
        mov esi, msg_magic
        call puts
        cmp dword [boot_magic], 0x2BADB002
        call yes_no
        ; every bss byte must be zero
        mov edi, bss_start
        mov ecx, BSS_SIZE
        xor eax, eax
        repe scasb
        mov esi, msg_bss
        call puts
        test ecx, ecx                  ; 0: the scan ran to the end...
        jnz .dirty
        cmp byte [edi - 1], 0          ; ...and the last byte is zero too
.dirty: call yes_no
        mov esi, msg_data
        call puts
        cmp dword [data_word], 0xfeedc0de
        call yes_no
        mov esi, msg_done
        call puts
        mov al, 0
        out 0xf4, al
.hang:  hlt
        jmp .hang

; print "yes" when ZF is set, else "no", then a newline
yes_no:
        mov esi, msg_yes
        jz .p
        mov esi, msg_no
.p:     jmp puts

; print the NUL-terminated string at ESI (LF becomes CR LF)
puts:
        lodsb
        test al, al
        jz .done
        cmp al, 10
        jne .put
        mov al, 13
        call putc
        mov al, 10
.put:   call putc
        jmp puts
.done:  ret

putc:
        push eax
        mov dx, 0x3fd
.wait:  in al, dx
        test al, 0x20
        jz .wait
        pop eax
        mov dx, 0x3f8
        out dx, al
        ret

msg_hello: db "hello from an a.out kludge kernel", 10, 0
msg_magic: db "magic in eax: ", 0
msg_bss:   db "bss zeroed by the loader: ", 0
msg_data:  db "data loaded at load_addr: ", 0
msg_done:  db "aout_kludge done", 10, 0
msg_yes:   db "yes", 10, 0
msg_no:    db "no", 10, 0
align 4
data_word: dd 0xfeedc0de
boot_magic: dd 0
load_end:

; not in the file: the loader clears it (bss_end_addr)
bss_start equ load_end
stack_top equ bss_start + BSS_SIZE + 4096
bss_end equ stack_top
