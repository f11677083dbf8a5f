# Copy to instance/config.py. Environment variables ZI_<KEY> override what is set here.
# SITE_NAME = "DPMPTSP Kota Magelang"
# SITE_OWNER = "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kota Magelang"
# DATABASE_URL = "postgresql://zi@localhost/zi_public"
# RATELIMIT_STORAGE_URI = "redis://127.0.0.1:6379"
# SMTP_URL = "smtp://user:password@mail.example.go.id:587"
