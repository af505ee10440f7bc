from wagewatch import create_app

app = create_app()
