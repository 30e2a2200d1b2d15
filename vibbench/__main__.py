from vibbench.entry import main

main()
