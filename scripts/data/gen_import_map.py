#!/usr/bin/env python3
"""Generate Sources/FleetLintRules/Resources/import-map.tsv (import prefix -> distribution(s)).

Run by hand (not by CI) from the repository root with any Python >= 3.8:

    python3 scripts/data/gen_import_map.py [SITE_PACKAGES ...]

Sources merged (first wins for a given import prefix):
  1. CURATED below: the table of docs/reference/import-map.md (deptry / FawltyDeps / pipreqs research)
     plus hand-checked common mismatches and namespace-package members (google.cloud.*, azure.*,
     backports.*, jaraco.*, zope.*, sphinxcontrib.*, ruamel.*, opentelemetry.*).
  2. Installed metadata, read the way deptry does: each `*.dist-info` in the given site-packages
     directories (default: this interpreter's purelib); top-level names from `top_level.txt`, else
     from `RECORD` (first path component, `.py` stripped). Generated with CPython 3.11.7's
     site-packages (103 distributions). Private names (`_x`), test/doc dirs and stub-only
     distributions (`types-*`, `*-stubs`) are skipped.

Output: `import_prefix<TAB>dist[|dist...]` (alternatives: any declared one satisfies the import),
distribution names as published (the Swift loader PEP 503-normalises them), sorted by prefix.
"""
import glob
import os
import re
import sys
import sysconfig

# (import prefix, "dist" or "dist1|dist2")
CURATED = """
# --- Google / GCP (namespace package `google`) ---
google.cloud.bigquery google-cloud-bigquery
google.cloud.bigquery_v2 google-cloud-bigquery
google.cloud.bigquery_storage google-cloud-bigquery-storage
google.cloud.bigquery_storage_v1 google-cloud-bigquery-storage
google.cloud.bigquery_storage_v1beta2 google-cloud-bigquery-storage
google.cloud.bigquery_datatransfer google-cloud-bigquery-datatransfer
google.cloud.bigquery_datatransfer_v1 google-cloud-bigquery-datatransfer
google.cloud.bigquery_connection google-cloud-bigquery-connection
google.cloud.bigquery_connection_v1 google-cloud-bigquery-connection
google.cloud.bigquery_reservation google-cloud-bigquery-reservation
google.cloud.bigquery_reservation_v1 google-cloud-bigquery-reservation
google.cloud.bigquery_analyticshub google-cloud-bigquery-analyticshub
google.cloud.storage google-cloud-storage
google.cloud.storage_transfer google-cloud-storage-transfer
google.cloud.storage_transfer_v1 google-cloud-storage-transfer
google.cloud.pubsub google-cloud-pubsub
google.cloud.pubsub_v1 google-cloud-pubsub
google.cloud.pubsublite google-cloud-pubsublite
google.cloud.firestore google-cloud-firestore
google.cloud.firestore_v1 google-cloud-firestore
google.cloud.firestore_admin_v1 google-cloud-firestore
google.cloud.firestore_bundle google-cloud-firestore
google.cloud.datastore google-cloud-datastore
google.cloud.datastore_v1 google-cloud-datastore
google.cloud.datastore_admin_v1 google-cloud-datastore
google.cloud.ndb google-cloud-ndb
google.cloud.secretmanager google-cloud-secret-manager
google.cloud.secretmanager_v1 google-cloud-secret-manager
google.cloud.logging google-cloud-logging
google.cloud.logging_v2 google-cloud-logging
google.cloud.error_reporting google-cloud-error-reporting
google.cloud.errorreporting_v1beta1 google-cloud-error-reporting
google.cloud.monitoring google-cloud-monitoring
google.cloud.monitoring_v3 google-cloud-monitoring
google.cloud.monitoring_dashboards google-cloud-monitoring-dashboards
google.cloud.tasks google-cloud-tasks
google.cloud.tasks_v2 google-cloud-tasks
google.cloud.scheduler google-cloud-scheduler
google.cloud.scheduler_v1 google-cloud-scheduler
google.cloud.spanner google-cloud-spanner
google.cloud.spanner_v1 google-cloud-spanner
google.cloud.spanner_dbapi google-cloud-spanner
google.cloud.spanner_admin_database_v1 google-cloud-spanner
google.cloud.spanner_admin_instance_v1 google-cloud-spanner
google.cloud.bigtable google-cloud-bigtable
google.cloud.bigtable_v2 google-cloud-bigtable
google.cloud.bigtable_admin_v2 google-cloud-bigtable
google.cloud.kms google-cloud-kms
google.cloud.kms_v1 google-cloud-kms
google.cloud.aiplatform google-cloud-aiplatform
google.cloud.aiplatform_v1 google-cloud-aiplatform
google.cloud.aiplatform_v1beta1 google-cloud-aiplatform
vertexai google-cloud-aiplatform
google.cloud.dataproc google-cloud-dataproc
google.cloud.dataproc_v1 google-cloud-dataproc
google.cloud.dataproc_metastore google-cloud-dataproc-metastore
google.cloud.dataflow google-cloud-dataflow-client
google.cloud.dataflow_v1beta3 google-cloud-dataflow-client
google.cloud.run google-cloud-run
google.cloud.run_v2 google-cloud-run
google.cloud.resourcemanager google-cloud-resource-manager
google.cloud.resourcemanager_v3 google-cloud-resource-manager
google.cloud.artifactregistry google-cloud-artifact-registry
google.cloud.artifactregistry_v1 google-cloud-artifact-registry
google.cloud.translate google-cloud-translate
google.cloud.translate_v2 google-cloud-translate
google.cloud.translate_v3 google-cloud-translate
google.cloud.vision google-cloud-vision
google.cloud.vision_v1 google-cloud-vision
google.cloud.speech google-cloud-speech
google.cloud.speech_v1 google-cloud-speech
google.cloud.speech_v2 google-cloud-speech
google.cloud.texttospeech google-cloud-texttospeech
google.cloud.texttospeech_v1 google-cloud-texttospeech
google.cloud.dlp google-cloud-dlp
google.cloud.dlp_v2 google-cloud-dlp
google.cloud.language google-cloud-language
google.cloud.language_v1 google-cloud-language
google.cloud.videointelligence google-cloud-videointelligence
google.cloud.documentai google-cloud-documentai
google.cloud.documentai_v1 google-cloud-documentai
google.cloud.automl google-cloud-automl
google.cloud.automl_v1 google-cloud-automl
google.cloud.compute google-cloud-compute
google.cloud.compute_v1 google-cloud-compute
google.cloud.container google-cloud-container
google.cloud.container_v1 google-cloud-container
google.cloud.functions google-cloud-functions
google.cloud.functions_v1 google-cloud-functions
google.cloud.functions_v2 google-cloud-functions
google.cloud.iam_admin_v1 google-cloud-iam
google.cloud.iam_credentials google-cloud-iam
google.cloud.iam_credentials_v1 google-cloud-iam
google.cloud.asset google-cloud-asset
google.cloud.asset_v1 google-cloud-asset
google.cloud.billing google-cloud-billing
google.cloud.billing_v1 google-cloud-billing
google.cloud.dataplex google-cloud-dataplex
google.cloud.dataplex_v1 google-cloud-dataplex
google.cloud.datacatalog google-cloud-datacatalog
google.cloud.datacatalog_v1 google-cloud-datacatalog
google.cloud.dialogflow google-cloud-dialogflow
google.cloud.dialogflow_v2 google-cloud-dialogflow
google.cloud.dialogflowcx google-cloud-dialogflow-cx
google.cloud.dialogflowcx_v3 google-cloud-dialogflow-cx
google.cloud.workflows google-cloud-workflows
google.cloud.workflows_v1 google-cloud-workflows
google.cloud.redis google-cloud-redis
google.cloud.redis_v1 google-cloud-redis
google.cloud.memcache google-cloud-memcache
google.cloud.filestore google-cloud-filestore
google.cloud.os_login google-cloud-os-login
google.cloud.securitycenter google-cloud-securitycenter
google.cloud.retail google-cloud-retail
google.cloud.recommender google-cloud-recommender
google.cloud.batch google-cloud-batch
google.cloud.batch_v1 google-cloud-batch
google.cloud.dataform google-cloud-dataform
google.cloud.datastream google-cloud-datastream
google.cloud.eventarc google-cloud-eventarc
google.cloud.service_usage google-cloud-service-usage
google.cloud.servicedirectory google-cloud-service-directory
google.cloud.certificate_manager google-cloud-certificate-manager
google.cloud.api_keys google-cloud-api-keys
google.cloud.appengine_admin google-cloud-appengine-admin
google.cloud.devtools.cloudbuild google-cloud-build
google.cloud.devtools.cloudbuild_v1 google-cloud-build
google.cloud.devtools.containeranalysis google-cloud-containeranalysis
google.cloud.trace google-cloud-trace
google.cloud.trace_v2 google-cloud-trace
google.cloud.notebooks google-cloud-notebooks
google.cloud.webrisk google-cloud-webrisk
google.cloud.talent google-cloud-talent
google.cloud.video.transcoder google-cloud-video-transcoder
google.cloud.video.live_stream google-cloud-video-live-stream
google.cloud.discoveryengine google-cloud-discoveryengine
google.cloud.orgpolicy google-cloud-org-policy
google.cloud.tpu google-cloud-tpu
google.cloud.gkehub google-cloud-gke-hub
google.cloud.security.privateca google-cloud-private-ca
google.cloud.essential_contacts google-cloud-essential-contacts
google.cloud.recaptchaenterprise google-cloud-recaptcha-enterprise
google.cloud.vpcaccess google-cloud-vpc-access
google.cloud.alloydb_v1 google-cloud-alloydb
google.cloud.sql.connector cloud-sql-python-connector
google.cloud.alloydb.connector google-cloud-alloydb-connector
google.cloud.location google-cloud-core|googleapis-common-protos
google.cloud.client google-cloud-core
google.cloud.exceptions google-cloud-core
google.cloud.environment_vars google-cloud-core
google.cloud._helpers google-cloud-core
google.cloud.obsolete google-cloud-core
google.cloud.operation google-cloud-core
google.cloud.version google-cloud-core
google.auth google-auth
google.oauth2 google-auth
google_auth_oauthlib google-auth-oauthlib
google_auth_httplib2 google-auth-httplib2
googleapiclient google-api-python-client
apiclient google-api-python-client
google.api_core google-api-core
google.protobuf protobuf
google.api googleapis-common-protos
google.rpc googleapis-common-protos
google.type googleapis-common-protos
google.longrunning googleapis-common-protos
google.logging.type googleapis-common-protos
google.iam.v1 grpc-google-iam-v1
google.genai google-genai
google.generativeai google-generativeai
google.ai.generativelanguage google-ai-generativelanguage
google.adk google-adk
google.resumable_media google-resumable-media
google_crc32c google-crc32c
google.colab google-colab
googlecloudprofiler google-cloud-profiler
grpc grpcio
grpc_status grpcio-status
grpc_tools grpcio-tools
grpc_health grpcio-health-checking
grpc_reflection grpcio-reflection
proto proto-plus
firebase_admin firebase-admin
functions_framework functions-framework
apache_beam apache-beam
pandas_gbq pandas-gbq
db_dtypes db-dtypes
sqlalchemy_bigquery sqlalchemy-bigquery
bigframes bigframes
gcsfs gcsfs
# --- Azure (namespace package `azure`) ---
azure.core azure-core
azure.common azure-common
azure.identity azure-identity
azure.storage.blob azure-storage-blob
azure.storage.queue azure-storage-queue
azure.storage.filedatalake azure-storage-file-datalake
azure.storage.fileshare azure-storage-file-share
azure.keyvault.secrets azure-keyvault-secrets
azure.keyvault.keys azure-keyvault-keys
azure.keyvault.certificates azure-keyvault-certificates
azure.cosmos azure-cosmos
azure.servicebus azure-servicebus
azure.eventhub azure-eventhub
azure.eventgrid azure-eventgrid
azure.functions azure-functions
azure.data.tables azure-data-tables
azure.search.documents azure-search-documents
azure.appconfiguration azure-appconfiguration
azure.ai.formrecognizer azure-ai-formrecognizer
azure.ai.textanalytics azure-ai-textanalytics
azure.monitor.query azure-monitor-query
azure.monitor.opentelemetry azure-monitor-opentelemetry
azure.monitor.opentelemetry.exporter azure-monitor-opentelemetry-exporter
azure.batch azure-batch
azure.kusto.data azure-kusto-data
azure.communication.email azure-communication-email
azure.mgmt.core azure-mgmt-core
azure.mgmt.resource azure-mgmt-resource
azure.mgmt.compute azure-mgmt-compute
azure.mgmt.storage azure-mgmt-storage
azure.mgmt.network azure-mgmt-network
azure.mgmt.keyvault azure-mgmt-keyvault
azure.mgmt.monitor azure-mgmt-monitor
azure.mgmt.containerservice azure-mgmt-containerservice
azure.mgmt.authorization azure-mgmt-authorization
azure.mgmt.sql azure-mgmt-sql
azure.mgmt.web azure-mgmt-web
# --- backports / jaraco / zope / sphinxcontrib / ruamel namespaces ---
backports.zoneinfo backports.zoneinfo
backports.functools_lru_cache backports.functools-lru-cache
backports.tarfile backports.tarfile
backports.cached_property backports.cached-property
backports.ssl_match_hostname backports.ssl-match-hostname
backports.weakref backports.weakref
backports.entry_points_selectable backports.entry-points-selectable
backports.shutil_get_terminal_size backports.shutil-get-terminal-size
jaraco.classes jaraco.classes
jaraco.functools jaraco.functools
jaraco.context jaraco.context
jaraco.text jaraco.text
jaraco.collections jaraco.collections
jaraco.logging jaraco.logging
zope.interface zope.interface
zope.event zope.event
zope.deprecation zope.deprecation
zope.proxy zope.proxy
zope.component zope.component
zope.schema zope.schema
zope.sqlalchemy zope.sqlalchemy
zope.hookable zope.hookable
zope.i18nmessageid zope.i18nmessageid
sphinxcontrib.applehelp sphinxcontrib-applehelp
sphinxcontrib.devhelp sphinxcontrib-devhelp
sphinxcontrib.htmlhelp sphinxcontrib-htmlhelp
sphinxcontrib.jsmath sphinxcontrib-jsmath
sphinxcontrib.qthelp sphinxcontrib-qthelp
sphinxcontrib.serializinghtml sphinxcontrib-serializinghtml
sphinxcontrib.jquery sphinxcontrib-jquery
sphinxcontrib.mermaid sphinxcontrib-mermaid
sphinxcontrib.napoleon sphinxcontrib-napoleon
sphinxcontrib.bibtex sphinxcontrib-bibtex
sphinxcontrib.spelling sphinxcontrib-spelling
sphinxcontrib.websupport sphinxcontrib-websupport
sphinxcontrib.httpdomain sphinxcontrib-httpdomain
sphinxcontrib.plantuml sphinxcontrib-plantuml
ruamel.yaml ruamel.yaml
_ruamel_yaml ruamel.yaml.clib
# --- OpenTelemetry (namespace package `opentelemetry`) ---
opentelemetry opentelemetry-api
opentelemetry.sdk opentelemetry-sdk
opentelemetry.exporter.otlp opentelemetry-exporter-otlp|opentelemetry-exporter-otlp-proto-grpc|opentelemetry-exporter-otlp-proto-http
opentelemetry.exporter.otlp.proto.grpc opentelemetry-exporter-otlp-proto-grpc|opentelemetry-exporter-otlp
opentelemetry.exporter.otlp.proto.http opentelemetry-exporter-otlp-proto-http|opentelemetry-exporter-otlp
opentelemetry.exporter.cloud_trace opentelemetry-exporter-gcp-trace
opentelemetry.instrumentation opentelemetry-instrumentation
opentelemetry.instrumentation.flask opentelemetry-instrumentation-flask
opentelemetry.instrumentation.requests opentelemetry-instrumentation-requests
opentelemetry.instrumentation.fastapi opentelemetry-instrumentation-fastapi
opentelemetry.semconv opentelemetry-semantic-conventions
opentelemetry.propagators.cloud_trace_propagator opentelemetry-propagator-gcp
# --- general ecosystem ---
yaml PyYAML
_yaml PyYAML
cv2 opencv-python|opencv-python-headless|opencv-contrib-python|opencv-contrib-python-headless
sklearn scikit-learn
skimage scikit-image
bs4 beautifulsoup4
PIL Pillow
dateutil python-dateutil
dotenv python-dotenv
jwt PyJWT|jwt
jose python-jose
magic python-magic
multipart python-multipart
python_multipart python-multipart
slugify python-slugify
docx python-docx
pptx python-pptx
ldap python-ldap
gitlab python-gitlab
telegram python-telegram-bot
socketio python-socketio
engineio python-engineio
snappy python-snappy
memcache python-memcached
pythonjsonlogger python-json-logger
jenkins python-jenkins
keystoneclient python-keystoneclient
Levenshtein Levenshtein|python-Levenshtein
git GitPython
github PyGithub
Crypto pycryptodome|pycrypto
Cryptodome pycryptodomex
OpenSSL pyOpenSSL
nacl PyNaCl
serial pyserial
usb pyusb
zmq pyzmq
attr attrs
attrs attrs
MySQLdb mysqlclient
pymysql PyMySQL
psycopg2 psycopg2|psycopg2-binary
psycopg psycopg|psycopg-binary
snowflake.connector snowflake-connector-python
snowflake.sqlalchemy snowflake-sqlalchemy
snowflake.snowpark snowflake-snowpark-python
kafka kafka-python|kafka-python-ng
confluent_kafka confluent-kafka
Bio biopython
fitz PyMuPDF
pymupdf PyMuPDF
pdfminer pdfminer.six
faiss faiss-cpu|faiss-gpu
umap umap-learn
IPython ipython
win32api pywin32
win32con pywin32
win32com pywin32
win32gui pywin32
pywintypes pywin32
pythoncom pywin32
OpenGL PyOpenGL
wx wxPython
gi PyGObject
cairo pycairo
dns dnspython
websocket websocket-client
sentry_sdk sentry-sdk
pkg_resources setuptools
setuptools setuptools
_distutils_hack setuptools
_pytest pytest
pytest pytest
py pytest|py
xdist pytest-xdist
pytest_asyncio pytest-asyncio
pytest_mock pytest-mock
pytest_cov pytest-cov
pytest_django pytest-django
pytest_benchmark pytest-benchmark
pytest_httpx pytest-httpx
mpl_toolkits matplotlib
rest_framework djangorestframework
rest_framework_simplejwt djangorestframework-simplejwt
corsheaders django-cors-headers
django_filters django-filter
debug_toolbar django-debug-toolbar
environ django-environ
storages django-storages
allauth django-allauth
django_extensions django-extensions
django_celery_beat django-celery-beat
django_celery_results django-celery-results
django_redis django-redis
crispy_forms django-crispy-forms
guardian django-guardian
polymorphic django-polymorphic
mptt django-mptt
taggit django-taggit
phonenumber_field django-phonenumber-field
import_export django-import-export
flask_sqlalchemy Flask-SQLAlchemy
flask_cors flask-cors
flask_login Flask-Login
flask_migrate Flask-Migrate
flask_wtf Flask-WTF
flask_restful Flask-RESTful
flask_caching Flask-Caching
flask_limiter Flask-Limiter
flask_jwt_extended Flask-JWT-Extended
flask_marshmallow flask-marshmallow
flask_babel flask-babel
flask_mail Flask-Mail
flask_socketio Flask-SocketIO
pydantic_settings pydantic-settings
pydantic_core pydantic-core
email_validator email-validator
huggingface_hub huggingface-hub
sentence_transformers sentence-transformers
langchain_community langchain-community
langchain_core langchain-core
langchain_openai langchain-openai
langchain_google_vertexai langchain-google-vertexai
langchain_google_genai langchain-google-genai
langchain_text_splitters langchain-text-splitters
llama_index llama-index|llama-index-core
importlib_metadata importlib-metadata
importlib_resources importlib-resources
typing_extensions typing-extensions
charset_normalizer charset-normalizer
requests_oauthlib requests-oauthlib
requests_toolbelt requests-toolbelt
requests_mock requests-mock
requests_cache requests-cache
requests_aws4auth requests-aws4auth
pyasn1_modules pyasn1-modules
jinja2 Jinja2
markupsafe MarkupSafe
markdown Markdown
pygments Pygments
babel Babel
# more common mismatches
lxml lxml
Xlib python-xlib
xdg pyxdg
usb1 libusb1
mx egenix-mx-base
jsonpath_ng jsonpath-ng
jsonpath_rw jsonpath-rw
ujson ujson
simplejson simplejson
msgpack msgpack
dateparser dateparser
tzlocal tzlocal
pytz pytz
win32_setctime win32-setctime
prometheus_client prometheus-client
paho paho-mqtt
tensorflow tensorflow|tensorflow-cpu|tensorflow-gpu|tensorflow-macos|tf-nightly
tensorflow_hub tensorflow-hub
tensorflow_datasets tensorflow-datasets
tensorboard tensorboard
keras keras|tf-keras
tf_keras tf-keras
torch torch
torchvision torchvision
torchaudio torchaudio
lightning lightning
pytorch_lightning pytorch-lightning|lightning
xgboost xgboost|xgboost-cpu
lightgbm lightgbm
catboost catboost
statsmodels statsmodels
matplotlib matplotlib
seaborn seaborn
plotly plotly
dash dash
bokeh bokeh
spacy spacy
nltk nltk
gensim gensim
transformers transformers
tokenizers tokenizers
datasets datasets
tiktoken tiktoken
openai openai
anthropic anthropic
jsonschema jsonschema
fastapi fastapi
starlette starlette
uvicorn uvicorn
gunicorn gunicorn
celery celery
kombu kombu
redis redis
pymongo pymongo
bson pymongo
gridfs pymongo
motor motor
elasticsearch elasticsearch
opensearchpy opensearch-py
cassandra cassandra-driver
neo4j neo4j
sqlalchemy SQLAlchemy
alembic alembic
asyncpg asyncpg
aiomysql aiomysql
aiohttp aiohttp
httpx httpx
httpcore httpcore
h11 h11
aioredis aioredis
boto3 boto3
botocore botocore
s3fs s3fs
awswrangler awswrangler
moto moto
paramiko paramiko
fabric fabric
invoke invoke
pexpect pexpect
psutil psutil
docopt docopt
click click
typer typer
rich rich
tqdm tqdm
colorama colorama
termcolor termcolor
tabulate tabulate
toml toml
tomli tomli
tomli_w tomli-w
tomlkit tomlkit
pyarrow pyarrow
polars polars
duckdb duckdb
numpy numpy
scipy scipy
pandas pandas
sympy sympy
networkx networkx
shapely shapely|Shapely
geopandas geopandas
pyproj pyproj
osgeo GDAL
fiona fiona|Fiona
rasterio rasterio
h5py h5py
netCDF4 netCDF4
xarray xarray
numba numba
llvmlite llvmlite
cython Cython
Cython Cython
pyximport Cython
mypy mypy
mypy_extensions mypy-extensions
black black
isort isort
flake8 flake8
pylint pylint
ruff ruff
coverage coverage
hypothesis hypothesis
freezegun freezegun
faker Faker
factory factory-boy
responses responses
vcr vcrpy
marshmallow marshmallow
cerberus Cerberus
voluptuous voluptuous
wtforms WTForms
itsdangerous itsdangerous
werkzeug Werkzeug
flask Flask
django Django
tornado tornado
twisted Twisted
gevent gevent
greenlet greenlet
eventlet eventlet
uvloop uvloop
anyio anyio
trio trio
structlog structlog
loguru loguru
jmespath jmespath
xmltodict xmltodict
defusedxml defusedxml
html5lib html5lib
markdown2 markdown2
mistune mistune
docutils docutils
sphinx Sphinx
reportlab reportlab
PyPDF2 PyPDF2
pypdf pypdf
openpyxl openpyxl
xlrd xlrd
xlsxwriter XlsxWriter
xlwt xlwt
odf odfpy
chardet chardet
unidecode Unidecode
emoji emoji
regex regex
rapidfuzz rapidfuzz
fuzzywuzzy fuzzywuzzy|thefuzz
thefuzz thefuzz
cachetools cachetools
diskcache diskcache
filelock filelock
portalocker portalocker
watchdog watchdog
schedule schedule
apscheduler APScheduler
croniter croniter
tenacity tenacity
backoff backoff
retrying retrying
wrapt wrapt
decorator decorator
six six
future future
past future
libfuturize future
dill dill
cloudpickle cloudpickle
joblib joblib
bcrypt bcrypt
passlib passlib
argon2 argon2-cffi
cryptography cryptography
certifi certifi
idna idna
urllib3 urllib3
requests requests
oauthlib oauthlib
authlib Authlib
rsa rsa
pyasn1 pyasn1
ecdsa ecdsa
hvac hvac
kubernetes kubernetes
docker docker
yarl yarl
multidict multidict
frozenlist frozenlist
aiosignal aiosignal
async_timeout async-timeout
packaging packaging
pyparsing pyparsing
platformdirs platformdirs
appdirs appdirs
distro distro
jsonpointer jsonpointer
jsonpatch jsonpatch
pluggy pluggy
iniconfig iniconfig
tzdata tzdata
zstandard zstandard
lz4 lz4
brotli Brotli|brotlicffi
brotlicffi brotlicffi
xxhash xxhash
mmh3 mmh3
pycparser pycparser
cffi cffi
_cffi_backend cffi
gspread gspread
oauth2client oauth2client
httplib2 httplib2
uritemplate uritemplate
slack_sdk slack-sdk
slack slackclient
twilio twilio
stripe stripe
sendgrid sendgrid
jira jira
atlassian atlassian-python-api
pysftp pysftp
smbclient smbprotocol
smbprotocol smbprotocol
ldap3 ldap3
pyodbc pyodbc
cx_Oracle cx-Oracle
oracledb oracledb
pymssql pymssql
ibm_db ibm-db
clickhouse_driver clickhouse-driver
clickhouse_connect clickhouse-connect
databricks.sql databricks-sql-connector
databricks.sdk databricks-sdk
pyspark pyspark
delta delta-spark
great_expectations great-expectations
dbt dbt-core
airflow apache-airflow
prefect prefect
dagster dagster
mlflow mlflow
wandb wandb
optuna optuna
ray ray
dask dask
distributed distributed
streamlit streamlit
gradio gradio
nbformat nbformat
nbconvert nbconvert
ipykernel ipykernel
ipywidgets ipywidgets
jupyter_client jupyter-client
jupyter_core jupyter-core
notebook notebook
pyaudio PyAudio
pygame pygame
kivy Kivy
PyQt5 PyQt5
PyQt6 PyQt6
PySide2 PySide2
PySide6 PySide6
tkinterdnd2 tkinterdnd2
pyautogui PyAutoGUI
pynput pynput
keyboard keyboard
qrcode qrcode
barcode python-barcode
pyzbar pyzbar
imageio imageio
moviepy moviepy
pydub pydub
soundfile soundfile
librosa librosa
sounddevice sounddevice
pyttsx3 pyttsx3
speech_recognition SpeechRecognition
gtts gTTS
pytesseract pytesseract
easyocr easyocr
tesserocr tesserocr
mediapipe mediapipe
dlib dlib
face_recognition face-recognition
onnx onnx
onnxruntime onnxruntime|onnxruntime-gpu
tflite_runtime tflite-runtime
jax jax
jaxlib jaxlib
flax flax
optax optax
pydantic pydantic
cattrs cattrs
dataclasses_json dataclasses-json
orjson orjson
yamale yamale
jsonnet jsonnet
hcl2 python-hcl2
jinja2_time jinja2-time
cookiecutter cookiecutter
ansible ansible-core|ansible
pulumi pulumi
pulumi_gcp pulumi-gcp
pulumi_aws pulumi-aws
cdktf cdktf
constructs constructs
aws_cdk aws-cdk-lib
"""

SKIP = {"__pycache__", "tests", "test", "testing", "docs", "doc", "examples", "example", "bin",
        "scripts", "benchmarks", "..", ""}


def curated():
    out = {}
    for raw in CURATED.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        imp, dists = line.split()
        if imp in out:
            sys.exit(f"duplicate curated entry for {imp}")
        out[imp] = dists
    return out


def is_stub(dist):
    n = re.sub(r"[-_.]+", "-", dist).lower()
    return n.startswith("types-") or n.endswith("-stubs")


def dist_name(info_dir):
    try:
        with open(os.path.join(info_dir, "METADATA"), encoding="utf-8") as f:
            for line in f:
                if line.startswith("Name:"):
                    return line.split(":", 1)[1].strip()
                if not line.strip():
                    break
    except OSError:
        pass
    return None


def top_levels(info_dir):
    top = os.path.join(info_dir, "top_level.txt")
    if os.path.exists(top):
        with open(top, encoding="utf-8") as f:
            return {l.strip().replace("/", ".") for l in f if l.strip()}
    names = set()
    record = os.path.join(info_dir, "RECORD")
    if os.path.exists(record):
        with open(record, encoding="utf-8") as f:
            for line in f:
                path = line.split(",", 1)[0]
                first = path.split("/", 1)[0]
                if first.endswith((".dist-info", ".data", ".pth")) or first.startswith(".."):
                    continue
                if "/" not in path and not first.endswith(".py"):
                    if not first.endswith((".so", ".pyd")):
                        continue
                    first = first.split(".", 1)[0]
                names.add(first[:-3] if first.endswith(".py") else first)
    return names


def installed(site_dirs):
    found = {}
    for site in site_dirs:
        for info in sorted(glob.glob(os.path.join(site, "*.dist-info"))):
            dist = dist_name(info)
            if dist is None or is_stub(dist):
                continue
            for name in sorted(top_levels(info)):
                if name in SKIP or (name.startswith("_") and name != "_pytest") or not name.isidentifier():
                    continue
                found.setdefault(name, set()).add(dist)
    return {k: "|".join(sorted(v)) for k, v in found.items()}


def main():
    site_dirs = sys.argv[1:] or [sysconfig.get_paths()["purelib"]]
    table = curated()
    added = 0
    for imp, dists in sorted(installed(site_dirs).items()):
        if imp not in table:
            table[imp] = dists
            added += 1
    out = os.path.join(os.path.dirname(__file__), "..", "..", "Sources", "FleetLintRules", "Resources", "import-map.tsv")
    with open(out, "w", encoding="utf-8") as f:
        f.write("# Python import prefix -> distribution(s) providing it: import_prefix<TAB>dist[|dist...]\n")
        f.write("# Alternatives separated by '|': any declared one satisfies the import. Most specific dotted prefix wins.\n")
        f.write("# Generated by scripts/data/gen_import_map.py (do not edit by hand). Sources: the curated table in\n")
        f.write("# docs/reference/import-map.md (after deptry, FawltyDeps and pipreqs' mapping), hand-checked PyPI\n")
        f.write("# names, and top_level.txt/RECORD of the distributions installed in CPython 3.11.7 site-packages.\n")
        for imp in sorted(table, key=lambda s: (s.lower(), s)):
            f.write(f"{imp}\t{table[imp]}\n")
    print(f"wrote {len(table)} entries ({added} from installed metadata)", file=sys.stderr)


if __name__ == "__main__":
    main()
