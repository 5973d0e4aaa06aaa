print("transfigure")
