from civgraph.cli import main

main()
