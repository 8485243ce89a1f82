"""Makes the folder a package so pytest tells the functions' test_handler modules apart."""
