from ztlab.launch import main

main()
