# The default system (run by `ladle run` without --boot). Images are the ELF32 programs of userland/,
# built from userland/src/main/c/NAME.c. Each finite program exits with status 0 when everything it
# checked held, and with a status naming the first check that failed otherwise.
#
#   ping, pong          ping-pong: 200 rounds of 6-word messages, each answered with every word plus one
#   client, pager       demand paging: client's first touch of each of three pages faults; the pager
#                       answers each fault message with a copy of its template page
#   owner, reader,      map of a buffer (owner -> reader -> relay, all writing through their mappings),
#   relay               unmap by the owner revoking both derived mappings, grant of a second buffer
#   intro, alice, bob   introduction: intro maps its capability to bob to alice, who then greets bob
#   worker              a long computation keeping its state in registers and memory only; it also
#                       creates a thread (from the one free thread object) and deletes it at the end
#   checkpointer        the checkpointer: a checkpoint's frames are mapped into its free pages for the
#                       log writer (docs/persistence.md); its own code ends at once

limits threads 13 localids 4 pages 16 frames 256 vector 4

process ping   image ping.elf
process pong   image pong.elf
process pager  image pager.elf  heap 1
process client image client.elf
process owner  image owner.elf  heap 2
process reader image reader.elf
process relay  image relay.elf
process intro  image intro.elf
process alice  image alice.elf
process bob    image bob.elf
process worker image worker.elf
process checkpointer image checkpointer.elf

thread ping   in ping
thread pong   in pong
thread pager  in pager
thread client in client pager 1 faults pager
thread owner  in owner
thread reader in reader
thread relay  in relay
thread intro  in intro
thread alice  in alice
thread bob    in bob
thread worker in worker confined
thread checkpointer in checkpointer checkpointer

cap ping   1 -> pong   send
cap pong   1 -> ping   send
cap client 1 -> pager  send
cap pager  1 -> client send grant
cap owner  1 -> reader send grant
cap owner  2 -> relay  send
cap reader 1 -> relay  send grant
cap reader 2 -> owner  send
cap relay  1 -> owner  send grant
cap intro  1 -> alice  send grant
cap intro  2 -> bob    send
cap alice  1 -> intro  send
