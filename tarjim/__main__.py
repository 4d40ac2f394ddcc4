from tarjim.cli import main

main()
