from casebook.cli import run

run()
