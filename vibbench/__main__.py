from vibbench.cli import main

main()
