environment            = "prod"
admin_group_object_ids = ["6f1c2a40-3f7e-4d8e-9a31-0c5d2b7e8f11"]
