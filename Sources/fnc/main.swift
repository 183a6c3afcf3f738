print("fnc")
