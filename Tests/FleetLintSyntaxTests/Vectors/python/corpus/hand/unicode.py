# -*- coding: utf-8 -*-
café = "naïve ☃"; call_after_unicode(café)
名前 = "日本語"; print(名前, len("😀😀"), f"{名前}")
s = "ünïcödé"  + str(1); x = ë(s)
def ƒ(α, β=γ()):
    return α.méthode(β)
class Ωmega(Βase):
    pass
"emoji 🎉"; emit("🎉", tail())
