from .cli import app

app(prog_name="lj-facts")
